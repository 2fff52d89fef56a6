package dev.crownest.billing.ledger;

import dev.crownest.contracts.api.ApiException;
import dev.crownest.contracts.api.CreditGrantRequest;
import dev.crownest.contracts.api.CreditGrantView;
import dev.crownest.kit.caller.Caller;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /internal/billing/credit-grants}: the operator grants a tenant credit (the gateway lets only
 * the operator's session reach it, on {@code ?tenantId=}). A {@code credit_grant} entry of the ledger; in
 * the same transaction the credit is checked again, so a grant that brings a held tenant above zero
 * releases it ({@code CreditsRestored}).
 */
@RestController
class CreditGrants {
    private static final BigDecimal MAX = new BigDecimal("1000000");
    private static final int MAX_REASON = 200;

    private final JdbcTemplate jdbc;
    private final CreditAlerts credit;
    private final Clock clock;

    CreditGrants(JdbcTemplate jdbc, CreditAlerts credit, Clock clock) {
        this.jdbc = jdbc;
        this.credit = credit;
        this.clock = clock;
    }

    @PostMapping("/internal/billing/credit-grants")
    @ResponseStatus(HttpStatus.CREATED)
    @Transactional
    public CreditGrantView grant(Caller caller, @RequestBody(required = false) CreditGrantRequest body) {
        BigDecimal amount = body == null ? null : body.amountUsd();
        if (amount == null || amount.signum() <= 0 || amount.compareTo(MAX) > 0 || amount.scale() > 10) {
            throw ApiException.badRequest(
                    "invalid_amount",
                    "amountUsd must be a number above 0 and at most 1000000, with at most 10 decimals");
        }
        String reason = body.reason() == null ? "" : body.reason().strip();
        if (reason.isEmpty() || reason.length() > MAX_REASON || reason.chars().anyMatch(Character::isISOControl)) {
            throw ApiException.badRequest(
                    "invalid_reason", "reason must be 1.." + MAX_REASON + " characters without control characters");
        }
        String tenant = caller.tenant();
        String grantId = "grt_" + UUID.randomUUID().toString().replace("-", "");
        Instant now = clock.instant();
        jdbc.update(
                "INSERT INTO credit_ledger (tenant_id, kind, amount_usd, reference, occurred_at) VALUES (?, 'credit_grant', ?, ?, ?)",
                tenant,
                amount,
                grantId + ": " + reason,
                Timestamp.from(now));
        credit.check(List.of(tenant));
        BigDecimal remaining = CreditAccount.remaining(jdbc, tenant);
        return new CreditGrantView(grantId, tenant, amount, reason, now, remaining);
    }
}
