package dev.crownest.contracts.event;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/** A metered second priced against the tenant's pinned pricing version, for billing. */
public record UsageRated(UUID eventId, String tenantId, Instant occurredAt, int schemaVersion,
                         String sandboxId, String projectId, long second,
                         BigDecimal computeUnitSeconds, String pricingVersion, BigDecimal amountUsd) implements PlatformEvent {
    @Override
    public String resourceId() {
        return sandboxId;
    }
}
