package dev.crownest.contracts.event;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * What a node saw of a command the gateway ran on it directly (the data plane), published by the node
 * agent's outbox relay on {@link Topics#COMMAND_FACTS}, keyed by sandbox id. sandbox-service records
 * each on the command's aggregate idempotently, as {@code CommandStarted} and {@code CommandFinished};
 * a fact may arrive twice (a relay that did not see the broker's acknowledgement sends it again).
 */
public sealed interface CommandFact extends PlatformEvent {

    /** The run as the gateway gave it; every fact of the command carries it whole. */
    Run run();

    /** The node that ran it. */
    String nodeId();

    @Override
    default String tenantId() {
        return run().tenantId();
    }

    @Override
    default String resourceId() {
        return run().commandId();
    }

    @Override
    default String actor() {
        return run().actor();
    }

    /**
     * The facts of a run that the gateway authorized: who ran what where. {@code env} is sealed
     * ({@code EnvSeal}): the node receives the plain values beside it, for the run only.
     */
    record Run(
            String commandId,
            String sandboxId,
            String tenantId,
            String projectId,
            String actor,
            String cmd,
            String cwd,
            Map<String, String> env,
            long timeoutMs,
            String stdin) {}

    /** The node took the command and is about to start it (written to its outbox before it starts). */
    record CommandAccepted(UUID eventId, Instant occurredAt, int schemaVersion, String nodeId, Run run)
            implements CommandFact {}

    /**
     * The command ended: its exit, and its output as the record keeps it (the first bytes of each stream
     * up to the node's cap, {@code truncated} when more came; {@code stdoutBytes}/{@code stderrBytes} is
     * all that came). Written to the outbox before the exit is told to the caller.
     */
    record CommandExited(
            UUID eventId,
            Instant occurredAt,
            int schemaVersion,
            String nodeId,
            Run run,
            int exitCode,
            String stdout,
            String stderr,
            long stdoutBytes,
            long stderrBytes,
            boolean truncated,
            boolean timedOut,
            boolean cancelled,
            Instant startedAt,
            Instant finishedAt)
            implements CommandFact {}
}
