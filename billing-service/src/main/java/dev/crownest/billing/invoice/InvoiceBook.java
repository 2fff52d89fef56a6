package dev.crownest.billing.invoice;

import dev.crownest.billing.ledger.CreditAccount;
import dev.crownest.contracts.api.ApiException;
import dev.crownest.contracts.event.InvoiceEvent;
import dev.crownest.contracts.event.Topics;
import dev.crownest.kit.outbox.EventOutbox;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Reads invoices and moves them through draft → open → void. Finalize and void lock the tenant's
 * billing_account row first, so invoice numbers and credit are decided one at a time per tenant.
 */
@Component
public class InvoiceBook {
    private static final String COLUMNS = """
            id, tenant_id, period, status, number, subtotal_usd, credit_applied_usd, total_usd,
            created_at, finalized_at, voided_at, void_reason, stripe_invoice_id""";
    private final JdbcTemplate jdbc;
    private final EventOutbox outbox;
    private final ApplicationEventPublisher credit;
    private final Clock clock;

    InvoiceBook(JdbcTemplate jdbc, EventOutbox outbox, ApplicationEventPublisher credit, Clock clock) {
        this.jdbc = jdbc;
        this.outbox = outbox;
        this.credit = credit;
        this.clock = clock;
    }

    /** The tenant's invoices, newest first, optionally of one status and period. */
    @Transactional(readOnly = true)
    public List<Invoice> list(String tenant, String status, String period) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM invoice WHERE tenant_id = ?");
        List<Object> args = new ArrayList<>(List.of(tenant));
        if (status != null && !status.isBlank()) {
            if (!List.of("draft", "open", "void").contains(status)) {
                throw ApiException.badRequest("invalid_status", "status must be draft, open or void");
            }
            sql.append(" AND status = ?");
            args.add(status);
        }
        if (period != null && !period.isBlank()) {
            if (!InvoicePeriod.valid(period)) {
                throw ApiException.badRequest("invalid_period", "period must look like 2026-11");
            }
            sql.append(" AND period = ?");
            args.add(period);
        }
        sql.append(" ORDER BY created_at DESC, id DESC");
        return jdbc.query(sql.toString(), this::invoice, args.toArray());
    }

    /** One of the tenant's invoices; another tenant's is not found. */
    @Transactional(readOnly = true)
    public Invoice get(String tenant, String id) {
        return jdbc
                .query("SELECT " + COLUMNS + " FROM invoice WHERE id = ? AND tenant_id = ?", this::invoice, id, tenant)
                .stream()
                .findFirst()
                .orElseThrow(() -> notFound(id));
    }

    /** Numbers the draft, applies the credit available, opens it and publishes InvoiceFinalized. */
    @Transactional
    public Invoice finalizeDraft(String tenant, String id, String actor) {
        lockAccount(tenant, id);
        String status = lockedStatus(tenant, id);
        if (!"draft".equals(status)) {
            throw ApiException.conflict(
                    "invoice_not_draft", "invoice " + id + " is " + status + ", only a draft can be finalized");
        }
        Invoice draft = get(tenant, id);
        BigDecimal subtotal =
                draft.lines().stream().map(Invoice.Line::amountUsd).reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal available = jdbc.queryForObject(
                "SELECT coalesce(sum(amount_usd), 0) FROM credit_ledger WHERE tenant_id = ? AND kind IN "
                        + CreditAccount.KINDS_SQL,
                BigDecimal.class,
                tenant);
        BigDecimal applied = Cents.ofCredit(available.max(BigDecimal.ZERO)).min(subtotal);
        Instant now = clock.instant();
        if (applied.signum() > 0) {
            jdbc.update(
                    "INSERT INTO credit_ledger (tenant_id, kind, amount_usd, reference, occurred_at) VALUES (?, 'credit_applied', ?, ?, ?)",
                    tenant,
                    applied.negate(),
                    id,
                    Timestamp.from(now));
        }
        int seq = jdbc.queryForObject(
                "UPDATE billing_account SET invoice_seq = invoice_seq + 1 WHERE tenant_id = ? RETURNING invoice_seq",
                Integer.class,
                tenant);
        String number = "CN-" + draft.period().replace("-", "") + "-" + String.format("%04d", seq);
        BigDecimal total = subtotal.subtract(applied);
        jdbc.update("""
                UPDATE invoice SET status = 'open', number = ?, subtotal_usd = ?, credit_applied_usd = ?, total_usd = ?,
                                   finalized_at = ?, finalized_by = ? WHERE id = ?""", number, subtotal, applied, total, Timestamp.from(now), actor, id);
        outbox.stage(
                Topics.BILLING_EVENTS,
                tenant,
                new InvoiceEvent.InvoiceFinalized(
                        UUID.randomUUID(), tenant, now, 1, id, number, draft.period(), total, actor));
        credit.publishEvent(new CreditChanged(tenant));
        return get(tenant, id);
    }

    /** Voids an open invoice: reverses its credit, records who and why, publishes the InvoiceVoided tombstone. */
    @Transactional
    public Invoice voidOpen(String tenant, String id, String reason, String actor) {
        if (reason == null || reason.isBlank()) {
            throw ApiException.badRequest("reason_required", "a void needs a reason");
        }
        lockAccount(tenant, id);
        String status = lockedStatus(tenant, id);
        if (!"open".equals(status)) {
            throw ApiException.conflict(
                    "invoice_not_open", "invoice " + id + " is " + status + ", only an open invoice can be voided");
        }
        if (Boolean.TRUE.equals(jdbc.queryForObject(
                "SELECT EXISTS (SELECT 1 FROM credit_note WHERE invoice_id = ?)", Boolean.class, id))) {
            // the credit its notes gave back is the tenant's now; voiding would give the invoice back twice
            throw ApiException.conflict(
                    "invoice_has_credit_notes",
                    "invoice " + id + " has credit notes; credit what is left with another note instead of voiding");
        }
        Invoice open = get(tenant, id);
        Instant now = clock.instant();
        if (open.creditAppliedUsd().signum() > 0) {
            jdbc.update(
                    "INSERT INTO credit_ledger (tenant_id, kind, amount_usd, reference, occurred_at) VALUES (?, 'credit_reversed', ?, ?, ?)",
                    tenant,
                    open.creditAppliedUsd(),
                    id,
                    Timestamp.from(now));
        }
        jdbc.update(
                "UPDATE invoice SET status = 'void', voided_at = ?, voided_by = ?, void_reason = ? WHERE id = ?",
                Timestamp.from(now),
                actor,
                reason,
                id);
        outbox.stage(
                Topics.BILLING_EVENTS,
                tenant,
                new InvoiceEvent.InvoiceVoided(UUID.randomUUID(), tenant, now, 1, id, reason, actor));
        credit.publishEvent(new CreditChanged(tenant));
        return get(tenant, id);
    }

    void lockAccount(String tenant, String id) {
        if (jdbc.queryForList(
                        "SELECT tenant_id FROM billing_account WHERE tenant_id = ? FOR UPDATE", String.class, tenant)
                .isEmpty()) {
            throw notFound(id);
        }
    }

    String lockedStatus(String tenant, String id) {
        return jdbc
                .queryForList(
                        "SELECT status FROM invoice WHERE id = ? AND tenant_id = ? FOR UPDATE",
                        String.class,
                        id,
                        tenant)
                .stream()
                .findFirst()
                .orElseThrow(() -> notFound(id));
    }

    private Invoice invoice(ResultSet rs, int row) throws SQLException {
        String id = rs.getString("id");
        List<Invoice.Line> lines = jdbc.query("""
                SELECT project_id, pricing_version, adjusts_period, compute_unit_seconds, seconds, amount_usd
                FROM invoice_line WHERE invoice_id = ? ORDER BY adjusts_period, project_id, pricing_version""", LINE, id);
        BigDecimal subtotal = rs.getBigDecimal("subtotal_usd");
        BigDecimal applied = rs.getBigDecimal("credit_applied_usd");
        if (subtotal == null) {
            // a draft: its totals are live, no credit is applied before finalize
            subtotal = lines.stream().map(Invoice.Line::amountUsd).reduce(BigDecimal.ZERO, BigDecimal::add);
            applied = BigDecimal.ZERO;
        }
        BigDecimal total = rs.getBigDecimal("total_usd");
        return new Invoice(
                id,
                rs.getString("tenant_id"),
                rs.getString("period"),
                rs.getString("status"),
                rs.getString("number"),
                lines,
                subtotal,
                applied,
                total == null ? subtotal.subtract(applied) : total,
                instant(rs, "created_at"),
                instant(rs, "finalized_at"),
                instant(rs, "voided_at"),
                rs.getString("void_reason"),
                rs.getString("stripe_invoice_id"));
    }

    private static final RowMapper<Invoice.Line> LINE = (rs, i) -> {
        String project = rs.getString("project_id");
        String version = rs.getString("pricing_version");
        String adjusts = rs.getString("adjusts_period");
        String description = (adjusts.isEmpty() ? "Compute" : "Adjustment: late usage of " + adjusts + ", compute")
                + (project.isEmpty() ? "" : ", project " + project) + ", pricing " + version;
        BigDecimal rated = rs.getBigDecimal("amount_usd");
        return new Invoice.Line(
                project.isEmpty() ? null : project,
                version,
                description,
                rs.getBigDecimal("compute_unit_seconds"),
                rs.getLong("seconds"),
                rated,
                Cents.ofLine(rated),
                adjusts.isEmpty() ? null : adjusts);
    };

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    private static ApiException notFound(String id) {
        return ApiException.notFound("invoice_not_found", "no invoice " + id);
    }
}
