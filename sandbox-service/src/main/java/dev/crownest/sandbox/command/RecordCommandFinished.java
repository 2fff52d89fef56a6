package dev.crownest.sandbox.command;

import dev.crownest.contracts.api.CollectError;
import java.time.Instant;
import java.util.List;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * The process's exit (or its kill at the timeout), with the declared files that could not be collected:
 * reported by the execution worker, or a node's exit fact of a run the gateway made ({@code cancelled}:
 * the node says a cancel killed it; the worker's reports leave that to the aggregate).
 */
public record RecordCommandFinished(
        @TargetAggregateIdentifier String commandId,
        int exitCode,
        String stdout,
        String stderr,
        boolean truncated,
        boolean timedOut,
        Instant startedAt,
        Instant finishedAt,
        String actor,
        List<CollectError> collectErrors,
        boolean cancelled) {

    public RecordCommandFinished(
            String commandId,
            int exitCode,
            String stdout,
            String stderr,
            boolean truncated,
            boolean timedOut,
            Instant startedAt,
            Instant finishedAt,
            String actor,
            List<CollectError> collectErrors) {
        this(
                commandId,
                exitCode,
                stdout,
                stderr,
                truncated,
                timedOut,
                startedAt,
                finishedAt,
                actor,
                collectErrors,
                false);
    }

    public RecordCommandFinished(
            String commandId,
            int exitCode,
            String stdout,
            String stderr,
            boolean truncated,
            boolean timedOut,
            Instant startedAt,
            Instant finishedAt,
            String actor) {
        this(commandId, exitCode, stdout, stderr, truncated, timedOut, startedAt, finishedAt, actor, null);
    }
}
