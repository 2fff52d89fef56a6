package dev.crownest.billing.ledger;

import dev.crownest.billing.invoice.InvoiceDrafts;
import dev.crownest.contracts.event.PlatformEvent;
import dev.crownest.contracts.event.Topics;
import dev.crownest.contracts.event.UsageRated;
import java.sql.Timestamp;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Charges rated usage to tenants. One transaction per batch; the processed_event key makes a
 * redelivered event a no-op, so offsets committed after the transaction give an exactly-once effect.
 * Each charge is a usage entry of the ledger and a share of an invoice line ({@link InvoiceDrafts}).
 * The free plan's credit is granted at the tenant's creation ({@link FreeCreditGrants}), never here.
 */
@Component
class CreditLedger {
    private final JdbcTemplate jdbc;
    private final InvoiceDrafts drafts;
    private final CreditAlerts alerts;

    CreditLedger(JdbcTemplate jdbc, InvoiceDrafts drafts, CreditAlerts alerts) {
        this.jdbc = jdbc;
        this.drafts = drafts;
        this.alerts = alerts;
    }

    @KafkaListener(topics = Topics.RATED_USAGE)
    @Transactional
    public void on(List<PlatformEvent> batch) {
        Set<String> charged = new LinkedHashSet<>();
        for (PlatformEvent event : batch) {
            if (event instanceof UsageRated rated && charge(rated)) {
                charged.add(rated.tenantId());
            }
        }
        alerts.check(charged);
    }

    /** Whether the usage was charged now (false: charged before). */
    private boolean charge(UsageRated rated) {
        if (jdbc.update("INSERT INTO processed_event (event_id) VALUES (?) ON CONFLICT DO NOTHING", rated.eventId())
                == 0) {
            return false;
        }
        String invoiceId = drafts.add(rated);
        jdbc.update(
                """
                INSERT INTO usage_charge (event_id, tenant_id, project_id, sandbox_id, second, to_second, seconds,
                                          compute_unit_seconds, pricing_version, amount_usd, invoice_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                rated.eventId(),
                rated.tenantId(),
                rated.projectId(),
                rated.sandboxId(),
                rated.fromSecond(),
                rated.toSecond(),
                rated.seconds(),
                rated.computeUnitSeconds(),
                rated.pricingVersion(),
                rated.amountUsd(),
                invoiceId);
        jdbc.update(
                """
                INSERT INTO credit_ledger (tenant_id, kind, amount_usd, reference, occurred_at) VALUES (?, 'usage', ?, ?, ?)""",
                rated.tenantId(),
                rated.amountUsd().negate(),
                rated.eventId().toString(),
                Timestamp.from(rated.occurredAt()));
        return true;
    }
}
