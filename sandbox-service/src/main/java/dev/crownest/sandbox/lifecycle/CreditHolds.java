package dev.crownest.sandbox.lifecycle;

import dev.crownest.contracts.api.ApiException;
import dev.crownest.contracts.event.CreditEvent;
import dev.crownest.contracts.event.PlatformEvent;
import dev.crownest.contracts.event.Topics;
import java.sql.Timestamp;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Credits stop spend: billing holds a tenant on credit whose credit ran out without a payment method
 * ({@code CreditsExhausted} on {@code billing-events}) and releases it after a grant or a payment method
 * ({@code CreditsRestored}). On a hold every running sandbox of the tenant is paused at once (actor
 * {@code system:credits}, {@link TenantPauses}, the suspension's pause); {@code TenantSuspensions} pauses
 * one that starts or resumes while held and kills one the node cannot pause. While held, creates, forks and
 * resumes answer 402 {@code credits_exhausted}. A release resumes nothing: the tenant resumes what it wants.
 * The platform's own tenant is never held, whatever billing says.
 */
@Component
class CreditHolds {
    static final String ACTOR = "system:credits";
    private static final Logger log = LoggerFactory.getLogger(CreditHolds.class);

    private final JdbcClient jdbc;
    private final TenantPauses pauses;
    private final String bootstrapTenant;

    CreditHolds(
            JdbcClient jdbc,
            TenantPauses pauses,
            @Value("${crownest.bootstrap.tenant-id:default}") String bootstrapTenant) {
        this.jdbc = jdbc;
        this.pauses = pauses;
        this.bootstrapTenant = bootstrapTenant;
    }

    @KafkaListener(
            topics = Topics.BILLING_EVENTS,
            groupId = "${crownest.sandbox.credits-group:sandbox-service-credits}")
    void on(PlatformEvent event) {
        if (!(event instanceof CreditEvent credit) || bootstrapTenant.equals(event.tenantId())) {
            return;
        }
        boolean held = credit instanceof CreditEvent.CreditsExhausted;
        boolean applied = follow(credit.tenantId(), held, credit.occurredAt());
        // a redelivered hold pauses again (what ran on after a crash between the two); pausing is idempotent
        if (held && (applied || isHeld(credit.tenantId()))) {
            int paused = pauses.pauseRunning(credit.tenantId(), ACTOR);
            log.info("tenant {} exhausted its credit: paused {} running sandboxes", credit.tenantId(), paused);
        } else if (applied && !held) {
            log.info("tenant {} may spend again: its credit was restored", credit.tenantId());
        }
    }

    /** Whether the tenant is held for exhausted credit now. */
    boolean isHeld(String tenantId) {
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM credit_hold WHERE tenant_id = :id AND held)")
                .param("id", tenantId)
                .query(Boolean.class)
                .single();
    }

    /** 402 {@code credits_exhausted} while the tenant is held: nothing new may run for it. */
    void refuseIfHeld(String tenantId) {
        if (isHeld(tenantId)) {
            throw new ApiException(
                    HttpStatus.PAYMENT_REQUIRED.value(),
                    "billing",
                    "credits_exhausted",
                    "the tenant's credit is used up and it has no payment method; its sandboxes are paused. "
                            + "Add a payment method (PUT /v1/billing/payment-method) or ask for a credit grant, "
                            + "then resume them");
        }
    }

    /** Applies the event if it is newer than the last one applied; true when it was. */
    private boolean follow(String tenantId, boolean held, Instant decidedAt) {
        return jdbc.sql("""
                INSERT INTO credit_hold (tenant_id, held, changed_at) VALUES (:tenant, :held, :at)
                ON CONFLICT (tenant_id) DO UPDATE SET held = EXCLUDED.held, changed_at = EXCLUDED.changed_at
                WHERE credit_hold.changed_at < EXCLUDED.changed_at""")
                        .param("tenant", tenantId)
                        .param("held", held)
                        .param("at", Timestamp.from(decidedAt))
                        .update()
                == 1;
    }
}
