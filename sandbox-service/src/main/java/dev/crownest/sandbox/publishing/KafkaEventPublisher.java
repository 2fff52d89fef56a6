package dev.crownest.sandbox.publishing;

import dev.crownest.contracts.event.CommandEvent;
import dev.crownest.contracts.event.KeyEvent;
import dev.crownest.contracts.event.PlatformEvent;
import dev.crownest.contracts.event.PreviewEvent;
import dev.crownest.contracts.event.ProjectEvent;
import dev.crownest.contracts.event.SandboxEvent;
import dev.crownest.contracts.event.TemplateEvent;
import dev.crownest.contracts.event.TenantEvent;
import dev.crownest.contracts.event.Topics;
import dev.crownest.sandbox.eventstore.AxonStorageConfiguration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Publishes every event of the store to Kafka from a tracking processor: the event store is the
 * outbox, the processor's token the cursor. Each send waits for the broker's ack, so the token only
 * moves past events Kafka has; after a crash events may go out twice (consumers dedupe by eventId).
 */
@Component
@ProcessingGroup(AxonStorageConfiguration.KAFKA_PUBLISHER)
class KafkaEventPublisher {
    private static final Logger log = LoggerFactory.getLogger(KafkaEventPublisher.class);
    private static final long ACK_TIMEOUT_SECONDS = 30;

    private final KafkaTemplate<String, PlatformEvent> kafka;

    KafkaEventPublisher(KafkaTemplate<String, PlatformEvent> kafka) {
        this.kafka = kafka;
    }

    /**
     * Creates the producer and loads topic metadata before the first event needs them: otherwise the
     * first sends after a start pay for it (docs/benchmarks.md). Off the main thread: Kafka may be down.
     */
    @EventListener(ApplicationReadyEvent.class)
    void warmUp() {
        Thread.ofVirtual().name("kafka-warm-up").start(() -> {
            try {
                for (String topic : new String[] {Topics.SANDBOX_EVENTS, Topics.COMMAND_EVENTS, Topics.KEY_EVENTS}) {
                    kafka.partitionsFor(topic);
                }
            } catch (RuntimeException e) {
                log.warn("Kafka not reachable yet, events wait in the event store: {}", e.toString());
            }
        });
    }

    @EventHandler
    void on(SandboxEvent event) throws Exception {
        send(Topics.SANDBOX_EVENTS, event.sandboxId(), event);
    }

    /** On the sandbox stream, keyed by sandbox: a preview's close follows its sandbox's end. */
    @EventHandler
    void on(PreviewEvent event) throws Exception {
        send(Topics.SANDBOX_EVENTS, event.sandboxId(), event);
    }

    /** Keyed by sandbox, so one sandbox's commands stay in order. */
    @EventHandler
    void on(CommandEvent event) throws Exception {
        send(Topics.COMMAND_EVENTS, event.sandboxId(), event);
    }

    @EventHandler
    void on(KeyEvent event) throws Exception {
        send(Topics.KEY_EVENTS, event.keyId(), event);
    }

    /** The identity stream: keyed by tenant, so a tenant's sessions and projects stay in order. */
    @EventHandler
    void on(TenantEvent event) throws Exception {
        send(Topics.KEY_EVENTS, event.tenantId(), event);
    }

    @EventHandler
    void on(ProjectEvent event) throws Exception {
        send(Topics.KEY_EVENTS, event.tenantId(), event);
    }

    /** Keyed by template, so a template's build, its outcome and its deletion stay in order. */
    @EventHandler
    void on(TemplateEvent event) throws Exception {
        send(Topics.TEMPLATE_EVENTS, event.templateId(), event);
    }

    private void send(String topic, String key, PlatformEvent event)
            throws ExecutionException, InterruptedException, TimeoutException {
        // Blocking on the ack is the point: an exception here leaves the token where it was.
        kafka.send(topic, key, PublishedForm.of(event)).get(ACK_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
}
