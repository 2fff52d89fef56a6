package dev.crownest.sandbox.lifecycle;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The node reports it could not resume the sandbox ({@code reason}, as it said). */
public record RecordResumeFailed(@TargetAggregateIdentifier String sandboxId, String reason) {}
