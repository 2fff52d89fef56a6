package dev.crownest.metering.span;

import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * The seconds of one sandbox that one batch metered for the first time, within one pricing version
 * and quota period: what billing is told (one rated event) and what the quota buckets advance by.
 * It sits below usage, which meters it, and quota, which spends it: usage depends on quota, never
 * quota on usage.
 */
public record MeteredSpan(
        String tenantId,
        String projectId,
        String sandboxId,
        String pricingVersion,
        LocalDate period,
        long fromSecond,
        long toSecond,
        long seconds,
        BigDecimal computeUnitSeconds,
        BigDecimal amountUsd) {}
