package dev.crownest.sandbox.tenant;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** End a tenant's suspension; an active tenant stays as it is. */
public record UnsuspendTenant(@TargetAggregateIdentifier String tenantId, String actor) {}
