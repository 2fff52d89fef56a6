package dev.crownest.metering.pricing;

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
 * Follows the operator's pins from the identity stream ({@code TenantPricingPinned} of sandbox-service's Tenant
 * aggregate, the one place a pin is decided) into {@code tenant_pricing_pin}, which every metering instance reads
 * with each batch it rates. Idempotent and ordered by the event's time ({@link PricingPins#pin}).
 */
@Component
class PricingPinFollower {
    private static final Logger log = LoggerFactory.getLogger(PricingPinFollower.class);

    private final PricingPins pins;
    private final PricingCatalog catalog;
    private final TransactionTemplate tx;

    PricingPinFollower(PricingPins pins, PricingCatalog catalog, TransactionTemplate tx) {
        this.pins = pins;
        this.catalog = catalog;
        this.tx = tx;
    }

    @KafkaListener(topics = Topics.KEY_EVENTS, groupId = "${spring.kafka.consumer.group-id}-pricing", concurrency = "1")
    public void on(List<PlatformEvent> batch) {
        for (PlatformEvent event : batch) {
            if (event instanceof TenantEvent.TenantPricingPinned pinned) {
                follow(pinned);
            }
        }
    }

    private void follow(TenantEvent.TenantPricingPinned pinned) {
        if (pinned.pricingVersion() == null
                || catalog.find(pinned.pricingVersion()).isEmpty()) {
            // sandbox-service checked it here before recording: only a database reset could lose it
            log.warn(
                    "tenant {} was pinned to unknown pricing version {}: ignored",
                    pinned.tenantId(),
                    pinned.pricingVersion());
            return;
        }
        Boolean applied = tx.execute(
                status -> pins.pin(pinned.tenantId(), pinned.pricingVersion(), pinned.occurredAt(), pinned.actor()));
        if (Boolean.TRUE.equals(applied)) {
            log.info("tenant {} is pinned to pricing version {}", pinned.tenantId(), pinned.pricingVersion());
        }
    }
}
