package dev.crownest.billing.webhook;

import java.util.Collection;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Where billing's own decisions (a balance running low) and the platform's events become webhook
 * deliveries: queued in the caller's transaction, so an event is queued if and only if what decided
 * it is committed, and sent as soon as that transaction commits.
 */
@Component
public class WebhookEvents {
    private final WebhookDeliveries deliveries;
    private final WebhookDispatcher dispatcher;

    WebhookEvents(WebhookDeliveries deliveries, WebhookDispatcher dispatcher) {
        this.deliveries = deliveries;
        this.dispatcher = dispatcher;
    }

    /** Queues the events for every endpoint of their tenants that asks for them; needs a transaction. */
    public void publish(Collection<WebhookEvent> events) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            throw new IllegalStateException("webhook events are queued in the transaction that decided them");
        }
        if (deliveries.enqueue(events) > 0) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    dispatcher.wake();
                }
            });
        }
    }
}
