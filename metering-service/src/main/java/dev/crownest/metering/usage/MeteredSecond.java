package dev.crownest.metering.usage;

import java.math.BigDecimal;

/** One sandbox-second as it was stored: counted once, priced against the tenant's pinned version. */
public record MeteredSecond(String sandboxId, long second, String tenantId, String projectId,
                            BigDecimal computeUnitSeconds, String pricingVersion, BigDecimal amountUsd) {
}
