package dev.crownest.billing.ledger;

import dev.crownest.contracts.event.PlatformEvent;
import dev.crownest.contracts.event.TenantEvent;
import dev.crownest.contracts.event.Topics;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Grants the free plan's one-time credit when a tenant is created on that plan (a sign-up, or the
 * operator's {@code POST /v1/tenants} with the free plan), from {@code TenantCreated} on the identity
 * stream. Once per tenant: the ledger's unique (tenant, kind, reference) makes a replay or a redelivery a
 * no-op. Tenants created on another plan, moved to free later, or configured (the platform's own
 * {@code default}) get none.
 */
@Component
class FreeCreditGrants {
    /** The grant's ledger reference; one per tenant. */
    static final String REFERENCE = "free-plan";

    private static final Logger log = LoggerFactory.getLogger(FreeCreditGrants.class);

    private final JdbcTemplate jdbc;
    private final BigDecimal amount;
    private final String plan;

    FreeCreditGrants(
            JdbcTemplate jdbc,
            @Value("${crownest.billing.free-credit-usd}") BigDecimal amount,
            @Value("${crownest.billing.free-credit-plan:free}") String plan) {
        this.jdbc = jdbc;
        this.amount = amount;
        this.plan = plan;
    }

    @KafkaListener(topics = Topics.KEY_EVENTS, groupId = "${spring.kafka.consumer.group-id}-tenants")
    @Transactional
    public void on(List<PlatformEvent> batch) {
        for (PlatformEvent event : batch) {
            if (event instanceof TenantEvent.TenantCreated created && plan.equals(created.plan())) {
                grant(created);
            }
        }
    }

    private void grant(TenantEvent.TenantCreated created) {
        int granted = jdbc.update("""
                INSERT INTO credit_ledger (tenant_id, kind, amount_usd, reference, occurred_at)
                VALUES (?, 'credit_grant', ?, ?, ?) ON CONFLICT DO NOTHING""", created.tenantId(), amount, REFERENCE, Timestamp.from(created.occurredAt()));
        if (granted > 0) {
            log.info("tenant {} granted its free credit of {} USD", created.tenantId(), amount.toPlainString());
        }
    }
}
