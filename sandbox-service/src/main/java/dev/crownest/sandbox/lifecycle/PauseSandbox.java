package dev.crownest.sandbox.lifecycle;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Pause a running sandbox; {@code tenantId} must own it. Answers true when this changed anything. */
public record PauseSandbox(@TargetAggregateIdentifier String sandboxId, String tenantId, String actor) {}
