package dev.crownest.contracts.node;

import java.time.Instant;

/**
 * What the execution worker reports back to the sandbox service about work a node did:
 * {@code POST /internal/reports/sandboxes/{id}/started|failed} and
 * {@code POST /internal/reports/commands/{cid}/finished}.
 */
public final class NodeReport {

    public record SandboxStarted(String nodeId) {
    }

    public record SandboxFailed(String reason) {
    }

    /**
     * {@code POST /internal/reports/sandboxes/{id}/paused|resumed|ttl-extended}: the node did it
     * ({@code done}), or could not ({@code reason}); the sandbox is then as it was.
     */
    public record SandboxChanged(boolean done, String reason) {
    }

    public record CommandFinished(int exitCode, String stdout, String stderr, boolean truncated, boolean timedOut,
                                  Instant startedAt, Instant finishedAt) {
    }

    private NodeReport() {
    }
}
