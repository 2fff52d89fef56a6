package dev.crownest.billing.ledger;

import dev.crownest.billing.webhook.WebhookEvent;
import dev.crownest.billing.webhook.WebhookEvents;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The {@code credits.low} webhook: after charges, a tenant that was granted credit and whose available
 * credit (the credit account less its unbilled usage on draft invoices) fell below
 * {@code crownest.billing.credits-low-usd} is told once; it is told again only after the balance rose
 * above the threshold (a grant) and fell again. Decided in the charging transaction, so a redelivered
 * batch, which charges nothing, tells nothing.
 */
@Component
class CreditAlerts {
    private static final String BALANCE = """
            SELECT (SELECT coalesce(sum(amount_usd), 0) FROM credit_ledger WHERE tenant_id = ? AND kind = 'credit_grant')
                       AS granted,
                   (SELECT coalesce(sum(amount_usd), 0) FROM credit_ledger WHERE tenant_id = ? AND kind IN %s)
                   - (SELECT coalesce(sum(l.amount_usd), 0) FROM invoice_line l JOIN invoice i ON i.id = l.invoice_id
                      WHERE i.tenant_id = ? AND i.status = 'draft') AS available""".formatted(CreditAccount.KINDS_SQL);

    private final JdbcTemplate jdbc;
    private final WebhookEvents webhooks;
    private final BigDecimal threshold;
    private final Clock clock;

    CreditAlerts(
            JdbcTemplate jdbc,
            WebhookEvents webhooks,
            @Value("${crownest.billing.credits-low-usd}") BigDecimal threshold,
            Clock clock) {
        this.jdbc = jdbc;
        this.webhooks = webhooks;
        this.threshold = threshold;
        this.clock = clock;
    }

    /** Checks the balances of {@code tenants}, just charged, in the caller's transaction. */
    void check(Collection<String> tenants) {
        List<WebhookEvent> low = new ArrayList<>();
        for (String tenant : tenants) {
            Map<String, Object> balance = jdbc.queryForMap(BALANCE, tenant, tenant, tenant);
            BigDecimal granted = (BigDecimal) balance.get("granted");
            BigDecimal available = (BigDecimal) balance.get("available");
            if (granted.signum() <= 0 || available.compareTo(threshold) >= 0) {
                jdbc.update("DELETE FROM credit_alert WHERE tenant_id = ?", tenant);
                continue;
            }
            Instant now = clock.instant();
            if (jdbc.update(
                            "INSERT INTO credit_alert (tenant_id, low_since) VALUES (?, now()) ON CONFLICT DO NOTHING",
                            tenant)
                    == 1) {
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("availableUsd", available);
                data.put("thresholdUsd", threshold);
                data.put("grantedUsd", granted);
                low.add(new WebhookEvent("evt_" + UUID.randomUUID(), "credits.low", now, tenant, data));
            }
        }
        webhooks.publish(low);
    }
}
