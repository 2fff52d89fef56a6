package dev.crownest.contracts.api;

import java.math.BigDecimal;

/**
 * The operator's grant of credit to a tenant ({@code POST /v1/credits/grants?tenantId=}).
 *
 * @param amountUsd more than 0, at most 1,000,000, at most 10 decimal places
 * @param reason    why, 1..200 characters; kept in the ledger as the grant's reference
 */
public record CreditGrantRequest(BigDecimal amountUsd, String reason) {}
