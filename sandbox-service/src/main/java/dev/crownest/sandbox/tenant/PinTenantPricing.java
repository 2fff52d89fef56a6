package dev.crownest.sandbox.tenant;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Pin a tenant to a pricing version (checked against metering's published versions first); the same one changes nothing. */
public record PinTenantPricing(@TargetAggregateIdentifier String tenantId, String pricingVersion, String actor) {}
