package dev.crownest.contracts.event;

import java.time.Instant;
import java.util.UUID;

/** A node agent's periodic liveness and capacity report. */
public record NodeHeartbeat(
        UUID eventId,
        String tenantId,
        Instant occurredAt,
        int schemaVersion,
        String nodeId,
        String agentUrl,
        int runningSandboxes)
        implements PlatformEvent {
    @Override
    public String resourceId() {
        return nodeId;
    }

    @Override
    public String actor() {
        return nodeId;
    }
}
