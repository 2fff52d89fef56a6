package dev.crownest.node.facts;

import dev.crownest.contracts.event.PlatformEvent;
import dev.crownest.contracts.event.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;
import org.springframework.stereotype.Component;

/**
 * Sends the {@link FactOutbox}'s pending facts to {@link Topics#COMMAND_FACTS} (keyed by sandbox id, so
 * one sandbox's facts keep their order), on a thread of its own: at once when one is written, and every
 * second besides. Facts are sent in their order, and each is marked relayed only after the broker
 * acknowledged it; while Kafka is down they wait on disk, and after a restart the relay resumes from
 * them. A send whose acknowledgement was lost may be repeated: sandbox-service records each fact once.
 */
@Component
class FactRelay {
    private static final Logger log = LoggerFactory.getLogger(FactRelay.class);
    private static final int BATCH = 500;
    private static final long IDLE_MS = 1_000;

    private final FactOutbox outbox;
    private final KafkaTemplate<String, PlatformEvent> kafka;

    FactRelay(FactOutbox outbox, KafkaTemplate<String, PlatformEvent> kafka) {
        this.outbox = outbox;
        this.kafka = kafka;
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        Thread.ofPlatform().name("fact-relay").daemon().start(this::loop);
    }

    private void loop() {
        boolean failing = false;
        while (!Thread.currentThread().isInterrupted()) {
            try {
                boolean all = relayPending();
                if (failing) {
                    log.info("command facts reach Kafka again");
                    failing = false;
                }
                if (all) {
                    outbox.awaitWritten(IDLE_MS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                if (!failing) {
                    log.warn("command facts wait on disk: Kafka did not take them ({})", e.toString());
                    failing = true;
                }
                try {
                    Thread.sleep(IDLE_MS);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** Sends a batch in order and marks what was acknowledged; true when nothing is left. */
    private boolean relayPending() throws Exception {
        List<FactOutbox.Pending> pending = outbox.pending();
        List<FactOutbox.Pending> batch = pending.subList(0, Math.min(BATCH, pending.size()));
        List<CompletableFuture<SendResult<String, PlatformEvent>>> sends = new ArrayList<>(batch.size());
        for (FactOutbox.Pending fact : batch) {
            sends.add(kafka.send(Topics.COMMAND_FACTS, fact.fact().run().sandboxId(), fact.fact()));
        }
        for (int i = 0; i < batch.size(); i++) {
            try {
                // the producer gives up on its own (delivery.timeout.ms): no second copy while one is in flight
                sends.get(i).get();
            } catch (ExecutionException failed) {
                throw new IllegalStateException("not acknowledged", failed.getCause());
            }
            outbox.relayed(batch.get(i));
        }
        return pending.size() <= BATCH;
    }
}
