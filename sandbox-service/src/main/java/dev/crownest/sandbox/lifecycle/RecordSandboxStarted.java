package dev.crownest.sandbox.lifecycle;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** A node reports the sandbox running. */
public record RecordSandboxStarted(
        @TargetAggregateIdentifier String sandboxId, String nodeId) {}
