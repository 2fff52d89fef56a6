package dev.crownest.sandbox.lifecycle;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Resume a paused sandbox; {@code tenantId} must own it. Answers true when this changed anything. */
public record ResumeSandbox(@TargetAggregateIdentifier String sandboxId, String tenantId, String actor) {}
