package dev.crownest.billing.webhook;

import dev.crownest.contracts.event.PlatformEvent;
import dev.crownest.contracts.event.Topics;
import java.util.List;
import java.util.Optional;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The platform's events that tenants may hear of, from Kafka into the delivery queue: sandbox
 * lifecycle, finished commands, usage thresholds of metering and billing's finalized invoices. A
 * group of its own ({@code billing-service-webhooks}), so charging usage and telling tenants never
 * wait on each other; a batch is one
 * transaction, and the queue's unique (endpoint, event) key makes a redelivered batch add nothing.
 */
@Component
class PlatformEventIngest {
    private final WebhookEvents events;

    PlatformEventIngest(WebhookEvents events) {
        this.events = events;
    }

    @KafkaListener(
            id = "webhook-sources",
            groupId = "${spring.kafka.consumer.group-id}-webhooks",
            topics = {Topics.SANDBOX_EVENTS, Topics.COMMAND_EVENTS, Topics.QUOTA_EVENTS, Topics.BILLING_EVENTS},
            containerFactory = WebhookListenerConfiguration.FACTORY)
    @Transactional
    public void on(List<PlatformEvent> batch) {
        events.publish(batch.stream()
                .map(SourceEvents::webhookOf)
                .flatMap(Optional::stream)
                .toList());
    }
}
