package dev.crownest.billing.ledger;

import dev.crownest.billing.invoice.CreditChanged;
import dev.crownest.billing.webhook.WebhookEvent;
import dev.crownest.billing.webhook.WebhookEvents;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Watches the credit of tenants that were granted some, after every change of it (charges, grants, a
 * payment method): the {@code credits.low} webhook at two levels, {@code warning} once 80 % of the granted
 * credit is used ({@code crownest.billing.credits-low-share} 0.20 left) and {@code exhausted} at 100 %, each
 * told once per fall (told again only after the credit rose above the warning); and the stop-spend rule
 * ({@link CreditHolds}). Decided in the transaction that changed the credit, so a redelivered batch, which
 * charges nothing, tells nothing; a tenant's decisions are serialized by an advisory lock, so a grant racing
 * a charge is decided on both.
 */
@Component
public class CreditAlerts {
    static final String WARNING = "warning";
    static final String EXHAUSTED = "exhausted";
    private static final String BALANCE = """
            SELECT (SELECT coalesce(sum(amount_usd), 0) FROM credit_ledger WHERE tenant_id = ? AND kind = 'credit_grant')
                       AS granted,
                   (SELECT coalesce(sum(amount_usd), 0) FROM credit_ledger WHERE tenant_id = ? AND kind IN %s)
                   - (SELECT coalesce(sum(l.amount_usd), 0) FROM invoice_line l JOIN invoice i ON i.id = l.invoice_id
                      WHERE i.tenant_id = ? AND i.status = 'draft') AS available,
                   EXISTS (SELECT 1 FROM payment_method WHERE tenant_id = ?) AS payment_method""".formatted(CreditAccount.KINDS_SQL);

    private final JdbcTemplate jdbc;
    private final WebhookEvents webhooks;
    private final CreditHolds holds;
    private final BigDecimal lowShare;
    private final Clock clock;

    CreditAlerts(
            JdbcTemplate jdbc,
            WebhookEvents webhooks,
            CreditHolds holds,
            @Value("${crownest.billing.credits-low-share:0.20}") BigDecimal lowShare,
            Clock clock) {
        this.jdbc = jdbc;
        this.webhooks = webhooks;
        this.holds = holds;
        this.lowShare = lowShare;
        this.clock = clock;
    }

    /** An invoice moved the tenant's credit (a credit note, a void, a finalize): checked in that transaction. */
    @EventListener
    void on(CreditChanged changed) {
        check(List.of(changed.tenantId()));
    }

    /** Checks the credit of {@code tenants}, just changed, in the caller's transaction. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void check(Collection<String> tenants) {
        List<WebhookEvent> told = new ArrayList<>();
        // in one order, so two transactions checking the same tenants never wait on each other in a circle
        for (String tenant : new TreeSet<>(tenants)) {
            jdbc.queryForObject(
                    "SELECT pg_advisory_xact_lock(hashtextextended(?, 0))", Object.class, "credit:" + tenant);
            CreditBalance balance = jdbc.queryForObject(
                    BALANCE,
                    (rs, i) -> new CreditBalance(
                            tenant,
                            rs.getBigDecimal("granted"),
                            rs.getBigDecimal("available"),
                            rs.getBoolean("payment_method")),
                    tenant,
                    tenant,
                    tenant,
                    tenant);
            String level = level(balance);
            if (level == null) {
                jdbc.update("DELETE FROM credit_alert WHERE tenant_id = ?", tenant);
            } else if (raised(tenant, level)) {
                told.add(lowEvent(balance, level));
            }
            holds.decide(balance);
        }
        webhooks.publish(told);
    }

    private String level(CreditBalance balance) {
        if (!balance.onCredit()) {
            return null;
        }
        if (balance.exhausted()) {
            return EXHAUSTED;
        }
        return balance.availableUsd().compareTo(balance.grantedUsd().multiply(lowShare)) <= 0 ? WARNING : null;
    }

    /** Stores the level; true when it is higher than the one told since the credit was last above the warning. */
    private boolean raised(String tenant, String level) {
        List<String> told =
                jdbc.queryForList("SELECT level FROM credit_alert WHERE tenant_id = ?", String.class, tenant);
        if (!told.isEmpty() && (told.get(0).equals(level) || told.get(0).equals(EXHAUSTED))) {
            if (!told.get(0).equals(level)) {
                // a grant too small to leave the warning: remember the lower level, so the next fall is told
                jdbc.update("UPDATE credit_alert SET level = ? WHERE tenant_id = ?", level, tenant);
            }
            return false;
        }
        jdbc.update("""
                INSERT INTO credit_alert (tenant_id, low_since, level) VALUES (?, now(), ?)
                ON CONFLICT (tenant_id) DO UPDATE SET level = EXCLUDED.level""", tenant, level);
        return true;
    }

    private WebhookEvent lowEvent(CreditBalance balance, String level) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("level", level);
        data.put("availableUsd", balance.availableUsd());
        data.put("grantedUsd", balance.grantedUsd());
        data.put(
                "thresholdUsd",
                EXHAUSTED.equals(level) ? BigDecimal.ZERO : balance.grantedUsd().multiply(lowShare));
        data.put("paymentMethod", balance.paymentMethod());
        return new WebhookEvent("evt_" + UUID.randomUUID(), "credits.low", clock.instant(), balance.tenantId(), data);
    }
}
