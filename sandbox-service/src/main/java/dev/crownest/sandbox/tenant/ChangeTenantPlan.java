package dev.crownest.sandbox.tenant;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Move a tenant to another plan (checked against metering's plans first); the same plan changes nothing. */
public record ChangeTenantPlan(@TargetAggregateIdentifier String tenantId, String plan, String actor) {}
