package dev.crownest.contracts.api;

import java.math.BigDecimal;

/**
 * {@code POST /v1/pricing-versions} (operator only): a new price list. Versions are never changed: a new
 * price is a new id. {@code vcpuPerUnit} and {@code memoryMbPerUnit} say what one compute unit is (default 1
 * vCPU and 2048 MB); a second of a sandbox costs its larger share of the two.
 *
 * @param id                    the version's name, e.g. {@code 2027-01-01}: letters, digits, {@code . _ -}
 * @param usdPerComputeUnitHour the price of one compute unit for an hour, in USD, at least 0
 */
public record PricingVersionRequest(
        String id, BigDecimal usdPerComputeUnitHour, BigDecimal vcpuPerUnit, BigDecimal memoryMbPerUnit) {}
