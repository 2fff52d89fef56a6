package dev.crownest.sandbox.lifecycle;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** End a sandbox whose TTL ran out. */
public record ExpireSandbox(@TargetAggregateIdentifier String sandboxId) {}
