package dev.crownest.contracts.api;

import java.time.Instant;

/**
 * The version a tenant's usage is rated at: every second from {@code effectiveFrom} on (the first whole second
 * after the pin, and after every second already metered); seconds before it keep the version they were rated at.
 * {@code effectiveFrom} is null in the answer to a pin that metering had not applied yet when it answered: it applies from the first second
 * after metering takes it.
 */
public record TenantPricingView(String tenantId, String pricingVersion, Instant effectiveFrom) {}
