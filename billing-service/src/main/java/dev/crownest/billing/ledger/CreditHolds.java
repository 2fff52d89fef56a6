package dev.crownest.billing.ledger;

import dev.crownest.contracts.event.CreditEvent;
import dev.crownest.contracts.event.Topics;
import dev.crownest.kit.outbox.EventOutbox;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Credits stop spend: a tenant on credit (granted some) without a payment method whose available credit
 * reached zero is held ({@code credit_hold}, {@code CreditsExhausted} on {@code billing-events}); a grant
 * that brings it above zero, or a payment method, lifts the hold ({@code CreditsRestored}). sandbox-service
 * acts on both: it pauses the held tenant's sandboxes and refuses its creates and resumes. The platform's
 * own tenant ({@code crownest.bootstrap.tenant-id}) is never held. Each change is one event, staged in the
 * transaction that decided it.
 */
@Component
class CreditHolds {
    static final String CAUSE_GRANT = "grant";
    static final String CAUSE_PAYMENT_METHOD = "payment_method";
    private static final Logger log = LoggerFactory.getLogger(CreditHolds.class);

    private final JdbcTemplate jdbc;
    private final EventOutbox outbox;
    private final String bootstrapTenant;
    private final Clock clock;

    CreditHolds(
            JdbcTemplate jdbc,
            EventOutbox outbox,
            @Value("${crownest.bootstrap.tenant-id:default}") String bootstrapTenant,
            Clock clock) {
        this.jdbc = jdbc;
        this.outbox = outbox;
        this.bootstrapTenant = bootstrapTenant;
        this.clock = clock;
    }

    /** Holds or releases the tenant as its balance says; call in the transaction that changed it. */
    void decide(CreditBalance balance) {
        String tenant = balance.tenantId();
        Instant now = clock.instant();
        boolean stop = balance.onCredit()
                && balance.exhausted()
                && !balance.paymentMethod()
                && !bootstrapTenant.equals(tenant);
        if (stop) {
            if (jdbc.update(
                            "INSERT INTO credit_hold (tenant_id, held_since, available_usd) VALUES (?, now(), ?) ON CONFLICT DO NOTHING",
                            tenant,
                            balance.availableUsd())
                    == 1) {
                outbox.stage(
                        Topics.BILLING_EVENTS,
                        tenant,
                        new CreditEvent.CreditsExhausted(
                                UUID.randomUUID(), tenant, now, 1, balance.availableUsd(), balance.grantedUsd()));
                log.info("tenant {} exhausted its credit: held", tenant);
            }
        } else if (jdbc.update("DELETE FROM credit_hold WHERE tenant_id = ?", tenant) == 1) {
            String cause = balance.paymentMethod() ? CAUSE_PAYMENT_METHOD : CAUSE_GRANT;
            outbox.stage(
                    Topics.BILLING_EVENTS,
                    tenant,
                    new CreditEvent.CreditsRestored(UUID.randomUUID(), tenant, now, 1, balance.availableUsd(), cause));
            log.info("tenant {} released from its credit hold ({})", tenant, cause);
        }
    }
}
