package dev.crownest.contracts.event;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * Billing's decisions on a tenant's prepaid credit, on {@link Topics#BILLING_EVENTS}, keyed by tenant id.
 * A tenant that was granted credit and has no payment method is held when its available credit reaches
 * zero (sandbox-service pauses its sandboxes and refuses its creates and resumes with 402
 * {@code credits_exhausted}) and released by a grant or a payment method.
 */
public sealed interface CreditEvent extends PlatformEvent {

    @Override
    default String resourceId() {
        return tenantId();
    }

    /** The tenant's available credit reached zero and it has no payment method: it is held. */
    record CreditsExhausted(
            UUID eventId,
            String tenantId,
            Instant occurredAt,
            int schemaVersion,
            BigDecimal availableUsd,
            BigDecimal grantedUsd)
            implements CreditEvent {}

    /**
     * The hold is lifted: credit given (a grant, a credit note, a void's reversal) brought the available credit
     * above zero ({@code cause} {@code grant}) or a payment method was added ({@code payment_method}). Paused sandboxes stay paused until resumed.
     */
    record CreditsRestored(
            UUID eventId, String tenantId, Instant occurredAt, int schemaVersion, BigDecimal availableUsd, String cause)
            implements CreditEvent {}
}
