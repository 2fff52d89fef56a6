package dev.crownest.sandbox.lifecycle;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Kill a sandbox on a tenant's request; {@code tenantId} must own it. */
public record KillSandbox(@TargetAggregateIdentifier String sandboxId, String tenantId, String reason, String actor) {}
