package dev.crownest.sandbox.lifecycle;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The node reports it could not pause the sandbox ({@code reason}, as it said). */
public record RecordPauseFailed(@TargetAggregateIdentifier String sandboxId, String reason) {}
