package dev.crownest.contracts.api;

import java.math.BigDecimal;
import java.time.Instant;

/** A published pricing version; {@code inUse} once any usage was rated with it. */
public record PricingVersionView(
        String id,
        BigDecimal usdPerComputeUnitHour,
        BigDecimal vcpuPerUnit,
        BigDecimal memoryMbPerUnit,
        Instant publishedAt,
        boolean inUse) {}
