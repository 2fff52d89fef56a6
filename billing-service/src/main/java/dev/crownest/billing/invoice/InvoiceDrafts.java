package dev.crownest.billing.invoice;

import dev.crownest.contracts.event.UsageRated;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Puts rated usage on the draft invoice of its period (calendar month UTC of its first second),
 * creating the draft on the period's first usage. Usage of a period that already has a finalized or
 * void invoice lands on an adjustment line of the tenant's current draft (the period of now), so a
 * finalized invoice is never edited.
 */
@Component
public class InvoiceDrafts {
    private final JdbcTemplate jdbc;
    private final Clock clock;

    InvoiceDrafts(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Adds the usage to a draft line in the caller's transaction and answers the draft's id. */
    @Transactional(propagation = Propagation.MANDATORY)
    public String add(UsageRated rated) {
        String tenant = rated.tenantId();
        jdbc.update(
                "INSERT INTO billing_account (tenant_id, created_at) VALUES (?, ?) ON CONFLICT DO NOTHING",
                tenant,
                Timestamp.from(clock.instant()));
        String period = InvoicePeriod.of(Instant.ofEpochSecond(rated.fromSecond()));
        String invoiceId = lockedDraft(tenant, period);
        String adjusts = "";
        if (invoiceId == null && closed(tenant, period)) {
            adjusts = period;
            invoiceId = draftOf(
                    tenant, YearMonth.now(clock.withZone(ZoneOffset.UTC)).toString());
        } else if (invoiceId == null) {
            invoiceId = draftOf(tenant, period);
        }
        jdbc.update(
                """
                INSERT INTO invoice_line (invoice_id, project_id, pricing_version, adjusts_period, compute_unit_seconds, seconds, amount_usd)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (invoice_id, project_id, pricing_version, adjusts_period) DO UPDATE SET
                    compute_unit_seconds = invoice_line.compute_unit_seconds + excluded.compute_unit_seconds,
                    seconds = invoice_line.seconds + excluded.seconds,
                    amount_usd = invoice_line.amount_usd + excluded.amount_usd""",
                invoiceId,
                rated.projectId() == null ? "" : rated.projectId(),
                rated.pricingVersion(),
                adjusts,
                rated.computeUnitSeconds(),
                rated.seconds(),
                rated.amountUsd());
        return invoiceId;
    }

    /** The draft of the period, created if missing, locked against a concurrent finalize. */
    private String draftOf(String tenant, String period) {
        jdbc.update(
                """
                INSERT INTO invoice (id, tenant_id, period, status, created_at) VALUES (?, ?, ?, 'draft', ?)
                ON CONFLICT (tenant_id, period) WHERE status = 'draft' DO NOTHING""",
                "inv_" + UUID.randomUUID().toString().replace("-", ""),
                tenant,
                period,
                Timestamp.from(clock.instant()));
        String id = lockedDraft(tenant, period);
        if (id == null) {
            // finalized between our insert and lock: the next draft of the period takes the usage
            return draftOf(tenant, period);
        }
        return id;
    }

    private String lockedDraft(String tenant, String period) {
        List<String> ids = jdbc.queryForList(
                "SELECT id FROM invoice WHERE tenant_id = ? AND period = ? AND status = 'draft' FOR UPDATE",
                String.class,
                tenant,
                period);
        return ids.isEmpty() ? null : ids.getFirst();
    }

    private boolean closed(String tenant, String period) {
        return Boolean.TRUE.equals(jdbc.queryForObject(
                "SELECT EXISTS (SELECT 1 FROM invoice WHERE tenant_id = ? AND period = ? AND status <> 'draft')",
                Boolean.class,
                tenant,
                period));
    }
}
