package dev.crownest.metering.quota;

import dev.crownest.contracts.event.PlatformEvent;
import dev.crownest.contracts.event.TenantEvent;
import dev.crownest.contracts.event.Topics;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Follows each tenant's plan from the identity stream: {@code TenantCreated} and {@code TenantPlanChanged}
 * of sandbox-service's Tenant aggregate, the one place a plan is decided. Applying is idempotent and
 * ordered by the event's time ({@link QuotaBook#follow}), so a replay or a redelivery changes nothing.
 * A plan metering does not know (configuration changed since) keeps the tenant where it was, logged.
 */
@Component
class TenantPlans {
    private static final Logger log = LoggerFactory.getLogger(TenantPlans.class);

    private final QuotaBook quotas;
    private final TransactionTemplate tx;

    TenantPlans(QuotaBook quotas, TransactionTemplate tx) {
        this.quotas = quotas;
        this.tx = tx;
    }

    @KafkaListener(topics = Topics.KEY_EVENTS, groupId = "${spring.kafka.consumer.group-id}-plans", concurrency = "1")
    public void on(List<PlatformEvent> batch) {
        for (PlatformEvent event : batch) {
            switch (event) {
                case TenantEvent.TenantCreated created -> follow(created, created.plan());
                case TenantEvent.TenantPlanChanged changed -> follow(changed, changed.plan());
                case null, default -> {}
            }
        }
    }

    private void follow(PlatformEvent event, String plan) {
        if (plan == null || !quotas.isPlan(plan)) {
            log.warn(
                    "tenant {} was put on plan {}, which metering does not configure: ignored", event.tenantId(), plan);
            return;
        }
        Boolean applied = tx.execute(status -> quotas.follow(event.tenantId(), plan, event.occurredAt()));
        // Another thread may have cached the old plan while the change was uncommitted.
        quotas.forget(event.tenantId());
        if (Boolean.TRUE.equals(applied)) {
            log.info("tenant {} is on plan {}", event.tenantId(), plan);
        }
    }
}
