package dev.crownest.sandbox.lifecycle;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** A node reports it could not start the sandbox. */
public record RecordSandboxFailed(@TargetAggregateIdentifier String sandboxId, String reason) {}
