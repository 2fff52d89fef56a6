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
}
