package dev.crownest.sandbox.tenant;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Suspend a tenant; suspending a suspended tenant changes nothing. */
public record SuspendTenant(@TargetAggregateIdentifier String tenantId, String reason, String actor) {}
