package dev.crownest.contracts.event;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * Quota decisions of metering on {@link Topics#QUOTA_EVENTS}, keyed by tenant id. A bucket is a
 * tenant ({@code projectId == null}) or one project of it.
 */
public sealed interface QuotaEvent extends PlatformEvent {

    /** {@code null} for the tenant-wide bucket. */
    String projectId();

    /** {@code tenant} or {@code project:<id>}. */
    @Override
    default String resourceId() {
        return projectId() == null ? "tenant" : "project:" + projectId();
    }

    @Override
    default String actor() {
        return "system:metering";
    }

    /**
     * A bucket used 80 % of a hard cap in its period.
     *
     * @param limit  {@code computeUnitSeconds} or {@code amountUsd}
     * @param period the period's first day, e.g. {@code 2026-11-01}
     */
    record QuotaWarningReached(
            UUID eventId,
            String tenantId,
            Instant occurredAt,
            int schemaVersion,
            String projectId,
            String limit,
            BigDecimal used,
            BigDecimal cap,
            String period)
            implements QuotaEvent {}

    /**
     * A bucket reached a hard cap: every running sandbox in it is killed, and creates in it are
     * refused until the period ends or the cap is raised.
     *
     * @param breachSecond the epoch second whose usage crossed the cap
     */
    record HardCapBreached(
            UUID eventId,
            String tenantId,
            Instant occurredAt,
            int schemaVersion,
            String projectId,
            String limit,
            BigDecimal used,
            BigDecimal cap,
            String period,
            long breachSecond)
            implements QuotaEvent {}

    /** An operator changed a bucket's quota; the new values are in the audit payload. */
    record QuotaChanged(
            UUID eventId,
            String tenantId,
            Instant occurredAt,
            int schemaVersion,
            String projectId,
            String plan,
            Integer maxConcurrentSandboxes,
            Long maxLifetimeMs,
            BigDecimal rateComputeUnitsPerSecond,
            BigDecimal hardCapComputeUnitSeconds,
            BigDecimal hardCapAmountUsd,
            String actor)
            implements QuotaEvent {}
}
