package dev.crownest.billing.ledger;

import dev.crownest.kit.caller.Caller;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /internal/billing/balance}: what a tenant has used, what credit is left and what is
 * still unbilled; {@code GET /internal/billing/ledger}: the tenant's ledger entries.
 */
@RestController
class BalanceController {
    private final JdbcTemplate jdbc;

    BalanceController(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @GetMapping("/internal/billing/balance")
    Map<String, Object> balance(Caller caller) {
        String tenant = caller.tenant();
        Map<String, Object> usage = jdbc.queryForMap("""
                SELECT coalesce(sum(seconds), 0) AS seconds, coalesce(sum(compute_unit_seconds), 0) AS cus, coalesce(sum(amount_usd), 0) AS amount
                FROM usage_charge WHERE tenant_id = ?""", tenant);
        BigDecimal unbilled = jdbc.queryForObject("""
                SELECT coalesce(sum(l.amount_usd), 0) FROM invoice_line l JOIN invoice i ON i.id = l.invoice_id
                WHERE i.tenant_id = ? AND i.status = 'draft'""", BigDecimal.class, tenant);
        BigDecimal open = jdbc.queryForObject(
                "SELECT coalesce(sum(total_usd), 0) FROM invoice WHERE tenant_id = ? AND status = 'open'",
                BigDecimal.class,
                tenant);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("tenantId", tenant);
        answer.put("ratedSeconds", usage.get("seconds"));
        answer.put("computeUnitSeconds", usage.get("cus"));
        answer.put("amountUsd", usage.get("amount"));
        answer.put("creditRemainingUsd", creditRemaining(tenant));
        answer.put("unbilledUsd", unbilled);
        answer.put("openInvoicesUsd", open);
        return answer;
    }

    @GetMapping("/internal/billing/ledger")
    Map<String, Object> ledger(Caller caller) {
        String tenant = caller.tenant();
        List<Map<String, Object>> items = jdbc.query(
                """
                SELECT kind, amount_usd, reference, occurred_at FROM credit_ledger WHERE tenant_id = ? ORDER BY id""",
                (rs, i) -> {
                    Map<String, Object> item = new LinkedHashMap<>();
                    item.put("kind", rs.getString("kind"));
                    item.put("amountUsd", rs.getBigDecimal("amount_usd"));
                    item.put("reference", rs.getString("reference"));
                    item.put("occurredAt", rs.getTimestamp("occurred_at").toInstant());
                    return item;
                },
                tenant);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("items", items);
        // balanceUsd is the credit account (grants − applied + reversed); usage entries are billed through invoices
        answer.put("balanceUsd", creditRemaining(tenant));
        return answer;
    }

    private BigDecimal creditRemaining(String tenant) {
        return CreditAccount.remaining(jdbc, tenant);
    }
}
