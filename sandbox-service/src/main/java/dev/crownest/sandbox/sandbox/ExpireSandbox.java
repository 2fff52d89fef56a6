package dev.crownest.sandbox.sandbox;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** End a sandbox whose TTL ran out. */
public record ExpireSandbox(@TargetAggregateIdentifier String sandboxId) {}
