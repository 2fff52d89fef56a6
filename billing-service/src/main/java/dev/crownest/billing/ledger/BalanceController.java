package dev.crownest.billing.ledger;

import dev.crownest.contracts.security.InternalHeaders;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code GET /internal/billing/balance}: what a tenant has used and what credit is left. */
@RestController
class BalanceController {
    private final JdbcTemplate jdbc;

    BalanceController(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @GetMapping("/internal/billing/balance")
    Map<String, Object> balance(@RequestHeader(InternalHeaders.TENANT_ID) String tenant) {
        Map<String, Object> usage = jdbc.queryForMap("""
                SELECT count(*) AS seconds, coalesce(sum(compute_unit_seconds), 0) AS cus, coalesce(sum(amount_usd), 0) AS amount
                FROM usage_charge WHERE tenant_id = ?""", tenant);
        BigDecimal credit = jdbc.queryForObject("SELECT coalesce(sum(amount_usd), 0) FROM credit_ledger WHERE tenant_id = ?",
                BigDecimal.class, tenant);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("tenantId", tenant);
        answer.put("ratedSeconds", usage.get("seconds"));
        answer.put("computeUnitSeconds", usage.get("cus"));
        answer.put("amountUsd", usage.get("amount"));
        answer.put("creditRemainingUsd", credit);
        return answer;
    }
}
