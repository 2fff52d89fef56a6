package dev.crownest.sandbox.command;

import dev.crownest.contracts.api.CollectError;
import java.time.Instant;
import java.util.List;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * The execution worker reports the process's exit (or its kill at the timeout), with the declared
 * files it could not collect.
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
        List<CollectError> collectErrors) {

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
