package dev.crownest.contracts.api;

import java.time.Instant;

/**
 * The version a tenant's usage is rated at: every second from {@code effectiveFrom} on (the first whole second
 * after the pin); seconds before it keep the version they were rated at.
 */
public record TenantPricingView(String tenantId, String pricingVersion, Instant effectiveFrom) {}
