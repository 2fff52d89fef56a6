package dev.crownest.contracts.node;

import dev.crownest.contracts.api.CollectError;
import java.time.Instant;
import java.util.List;

/**
 * What the execution worker reports back to the sandbox service about work a node did:
 * {@code POST /internal/reports/sandboxes/{id}/started|failed} and
 * {@code POST /internal/reports/commands/{cid}/finished}.
 */
public final class NodeReport {

    public record SandboxStarted(String nodeId) {}

    public record SandboxFailed(String reason) {}

    /**
     * {@code POST /internal/reports/sandboxes/{id}/}{@link SandboxChange#report()}: the node did it
     * ({@code done}), or could not ({@code reason}); the sandbox is then as it was on the node, and
     * sandbox-service records the failure of a pause or resume. {@code snapshotBytes}: of a pause
     * done, what its snapshot holds on the node's disk (null otherwise).
     */
    public record SandboxChanged(boolean done, String reason, Long snapshotBytes) {
        public SandboxChanged(boolean done, String reason) {
            this(done, reason, null);
        }
    }

    /** {@code collectErrors}: declared files that did not become artifacts (null or empty: none). */
    public record CommandFinished(
            int exitCode,
            String stdout,
            String stderr,
            boolean truncated,
            boolean timedOut,
            Instant startedAt,
            Instant finishedAt,
            List<CollectError> collectErrors) {

        public CommandFinished(
                int exitCode,
                String stdout,
                String stderr,
                boolean truncated,
                boolean timedOut,
                Instant startedAt,
                Instant finishedAt) {
            this(exitCode, stdout, stderr, truncated, timedOut, startedAt, finishedAt, null);
        }
    }

    private NodeReport() {}
}
