package dev.crownest.contracts.api;

import java.math.BigDecimal;
import java.time.Instant;

/** A credit grant as recorded, with the tenant's credit remaining after it. */
public record CreditGrantView(
        String grantId,
        String tenantId,
        BigDecimal amountUsd,
        String reason,
        Instant grantedAt,
        BigDecimal creditRemainingUsd) {}
