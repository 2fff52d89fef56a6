package dev.crownest.billing.invoice;

import dev.crownest.contracts.api.ApiException;
import dev.crownest.contracts.event.InvoiceEvent;
import dev.crownest.contracts.event.Topics;
import dev.crownest.kit.outbox.EventOutbox;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Operator credit notes. A note credits part or all of an open invoice back to the tenant: a
 * {@code credit_note} entry on the credit account, which the next invoices use as any credit. The invoice
 * is never edited, its notes never exceed its subtotal, and an invoice with notes is not voided.
 */
@Component
public class CreditNotes {
    private final JdbcTemplate jdbc;
    private final InvoiceBook invoices;
    private final EventOutbox outbox;
    private final ApplicationEventPublisher credit;
    private final Clock clock;

    CreditNotes(
            JdbcTemplate jdbc,
            InvoiceBook invoices,
            EventOutbox outbox,
            ApplicationEventPublisher credit,
            Clock clock) {
        this.jdbc = jdbc;
        this.invoices = invoices;
        this.outbox = outbox;
        this.credit = credit;
        this.clock = clock;
    }

    /** A credit note as the API answers it. */
    public record CreditNote(
            String id, String invoiceId, BigDecimal amountUsd, String reason, Instant createdAt, String createdBy) {}

    /**
     * Issues a note of {@code amountUsd} (whole cents, above zero) on the tenant's open invoice: 400
     * {@code invalid_amount} or {@code reason_required}, 409 {@code invoice_not_open}, or 409
     * {@code credit_note_exceeds_invoice} past what the invoice's earlier notes left of its subtotal.
     */
    @Transactional
    public CreditNote issue(String tenant, String invoiceId, BigDecimal amountUsd, String reason, String actor) {
        if (amountUsd == null
                || amountUsd.signum() <= 0
                || amountUsd.stripTrailingZeros().scale() > 2) {
            throw ApiException.badRequest("invalid_amount", "amountUsd must be above zero, in whole cents");
        }
        if (reason == null || reason.isBlank()) {
            throw ApiException.badRequest("reason_required", "a credit note needs a reason");
        }
        invoices.lockAccount(tenant, invoiceId);
        String status = invoices.lockedStatus(tenant, invoiceId);
        if (!"open".equals(status)) {
            throw ApiException.conflict(
                    "invoice_not_open",
                    "invoice " + invoiceId + " is " + status + ", credit notes are issued on open invoices");
        }
        BigDecimal left = invoices.get(tenant, invoiceId)
                .subtotalUsd()
                .subtract(jdbc.queryForObject(
                        "SELECT coalesce(sum(amount_usd), 0) FROM credit_note WHERE invoice_id = ?",
                        BigDecimal.class,
                        invoiceId));
        if (amountUsd.compareTo(left) > 0) {
            throw ApiException.conflict(
                    "credit_note_exceeds_invoice",
                    "invoice " + invoiceId + " has " + Cents.ofLine(left).toPlainString()
                            + " USD left to credit; asked " + amountUsd.toPlainString());
        }
        String id = "cn_" + UUID.randomUUID().toString().replace("-", "");
        Instant now = clock.instant();
        jdbc.update(
                "INSERT INTO credit_note (id, tenant_id, invoice_id, amount_usd, reason, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
                id,
                tenant,
                invoiceId,
                amountUsd,
                reason,
                Timestamp.from(now),
                actor);
        jdbc.update(
                "INSERT INTO credit_ledger (tenant_id, kind, amount_usd, reference, occurred_at) VALUES (?, 'credit_note', ?, ?, ?)",
                tenant,
                amountUsd,
                id,
                Timestamp.from(now));
        outbox.stage(
                Topics.BILLING_EVENTS,
                tenant,
                new InvoiceEvent.CreditNoteIssued(
                        UUID.randomUUID(), tenant, now, 1, invoiceId, id, amountUsd, reason, actor));
        credit.publishEvent(new CreditChanged(tenant));
        return new CreditNote(id, invoiceId, amountUsd, reason, now, actor);
    }

    /** The notes of one of the tenant's invoices, oldest first; another tenant's invoice is not found. */
    @Transactional(readOnly = true)
    public List<CreditNote> of(String tenant, String invoiceId) {
        invoices.get(tenant, invoiceId);
        return jdbc.query(
                """
                SELECT id, invoice_id, amount_usd, reason, created_at, created_by FROM credit_note
                WHERE invoice_id = ? AND tenant_id = ? ORDER BY created_at, id""",
                (rs, i) -> new CreditNote(
                        rs.getString("id"),
                        rs.getString("invoice_id"),
                        rs.getBigDecimal("amount_usd"),
                        rs.getString("reason"),
                        rs.getTimestamp("created_at").toInstant(),
                        rs.getString("created_by")),
                invoiceId,
                tenant);
    }
}
