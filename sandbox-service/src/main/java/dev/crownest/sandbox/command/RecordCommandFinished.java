package dev.crownest.sandbox.command;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;

/** The execution worker reports the process's exit (or its kill at the timeout). */
public record RecordCommandFinished(@TargetAggregateIdentifier String commandId, int exitCode, String stdout,
                                    String stderr, boolean truncated, boolean timedOut,
                                    Instant startedAt, Instant finishedAt, String actor) {
}
