package dev.crownest.contracts.event;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/** Invoice lifecycle of billing on {@link Topics#BILLING_EVENTS}, keyed by tenant id. */
public sealed interface InvoiceEvent extends PlatformEvent {

    String invoiceId();

    @Override
    default String resourceId() {
        return invoiceId();
    }

    /** The invoice is final: its number and lines never change again. */
    record InvoiceFinalized(
            UUID eventId,
            String tenantId,
            Instant occurredAt,
            int schemaVersion,
            String invoiceId,
            String number,
            String period,
            BigDecimal totalUsd,
            String actor)
            implements InvoiceEvent {}

    /** Voided: a tombstone of who and why; the usage it covered is not billed again. */
    record InvoiceVoided(
            UUID eventId,
            String tenantId,
            Instant occurredAt,
            int schemaVersion,
            String invoiceId,
            String reason,
            String actor)
            implements InvoiceEvent {}

    /**
     * An operator's credit note on an open invoice: {@code amountUsd} (whole cents) goes back to the tenant's
     * credit; the invoice itself is never edited.
     */
    record CreditNoteIssued(
            UUID eventId,
            String tenantId,
            Instant occurredAt,
            int schemaVersion,
            String invoiceId,
            String creditNoteId,
            BigDecimal amountUsd,
            String reason,
            String actor)
            implements InvoiceEvent {}
}
