package dev.crownest.contracts.event;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * Metered seconds of one sandbox, priced against the tenant's pinned pricing version, for billing.
 * Metering rates a batch of samples at a time and publishes one event per sandbox and pricing
 * version of that batch (through its outbox, so the event exists exactly when the seconds do).
 *
 * @param fromSecond         first epoch second covered (inclusive)
 * @param toSecond           last epoch second covered (inclusive); the span may have gaps
 * @param seconds            how many seconds are in it
 * @param computeUnitSeconds their compute_unit_seconds
 * @param amountUsd          their price; the sum of the per-second amounts
 */
public record UsageRated(
        UUID eventId,
        String tenantId,
        Instant occurredAt,
        int schemaVersion,
        String sandboxId,
        String projectId,
        long fromSecond,
        long toSecond,
        long seconds,
        BigDecimal computeUnitSeconds,
        String pricingVersion,
        BigDecimal amountUsd)
        implements PlatformEvent {
    /** Shape version 2: a span of seconds instead of one. */
    public static final int SCHEMA_VERSION = 2;

    @Override
    public String resourceId() {
        return sandboxId;
    }

    @Override
    public String actor() {
        return "system:metering";
    }
}
