package dev.crownest.metering.pricing;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/** A price list: what one compute unit is, and what its hour costs. */
public record PricingVersion(
        String version, BigDecimal usdPerComputeUnitHour, BigDecimal vcpuPerUnit, BigDecimal memoryMbPerUnit) {
    private static final BigDecimal SECONDS_PER_HOUR = BigDecimal.valueOf(3600);

    /** Compute units of one second of a sandbox with this allocation: the larger of its CPU and memory shares. */
    public BigDecimal computeUnitSeconds(int vcpu, int memoryMb) {
        BigDecimal byCpu = BigDecimal.valueOf(vcpu).divide(vcpuPerUnit, 6, RoundingMode.HALF_UP);
        BigDecimal byMemory = BigDecimal.valueOf(memoryMb).divide(memoryMbPerUnit, 6, RoundingMode.HALF_UP);
        return byCpu.max(byMemory);
    }

    public BigDecimal amountUsd(BigDecimal computeUnitSeconds) {
        return computeUnitSeconds
                .multiply(usdPerComputeUnitHour)
                .divide(SECONDS_PER_HOUR, MathContext.DECIMAL64)
                .setScale(10, RoundingMode.HALF_UP);
    }
}
