package dev.crownest.contracts.node;

import java.time.Instant;

/**
 * One template as a node holds it: {@code status} {@code ready}, {@code building} or {@code failed};
 * {@code sizeBytes} of its image (0 unless ready); {@code builtAt} when it became ready. Reported in
 * every node heartbeat, the shape a node registry keeps per node.
 */
public record NodeTemplate(String name, String status, long sizeBytes, Instant builtAt) {
    public static final String READY = "ready";
    public static final String BUILDING = "building";
    public static final String FAILED = "failed";

    public boolean ready() {
        return READY.equals(status);
    }
}
