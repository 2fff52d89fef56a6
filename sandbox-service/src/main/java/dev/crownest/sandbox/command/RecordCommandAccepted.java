package dev.crownest.sandbox.command;

import dev.crownest.contracts.event.CommandFact;
import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** A node took a command the gateway ran on it directly: record its start ({@link CommandFact.CommandAccepted}). */
public record RecordCommandAccepted(
        @TargetAggregateIdentifier String commandId, CommandFact.Run run, Instant acceptedAt) {}
