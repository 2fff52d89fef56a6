package dev.crownest.metering.quota;

import java.math.BigDecimal;

/**
 * The limits of one quota bucket (a tenant, or one of its projects). {@code null} means no limit.
 *
 * @param maxConcurrentSandboxes      sandboxes admitted and not yet ended
 * @param maxLifetimeMs               longest TTL a create may ask for
 * @param rateComputeUnitsPerSecond   compute units in use at once (each second is billed at this rate at most)
 * @param hardCapComputeUnitSeconds   compute_unit_seconds per period; reaching it kills the bucket's sandboxes
 * @param hardCapAmountUsd            spend per period; reaching it kills the bucket's sandboxes
 */
public record QuotaLimits(
        Integer maxConcurrentSandboxes,
        Long maxLifetimeMs,
        BigDecimal rateComputeUnitsPerSecond,
        BigDecimal hardCapComputeUnitSeconds,
        BigDecimal hardCapAmountUsd) {
    /** A project bucket nobody configured: only its tenant's limits apply. */
    public static final QuotaLimits NONE = new QuotaLimits(null, null, null, null, null);
}
