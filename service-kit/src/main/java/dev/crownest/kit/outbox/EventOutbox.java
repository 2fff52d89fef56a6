package dev.crownest.kit.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.crownest.contracts.event.PlatformEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The transactional outbox of a service with a database: events are stored (table
 * {@code event_outbox}, each service's migrations create it) in the transaction that decided them,
 * sent as soon as it commits, and deleted once Kafka acknowledged them. A crash between commit and
 * acknowledgement leaves rows that {@link #sweep()} sends later; consumers dedupe by event id, so
 * a resend is harmless and nothing decided is ever lost.
 */
@Component
@ConditionalOnClass(JdbcTemplate.class)
public class EventOutbox {
    private static final Logger log = LoggerFactory.getLogger(EventOutbox.class);

    private final JdbcTemplate jdbc;
    private final KafkaTemplate<String, PlatformEvent> kafka;
    private final ObjectWriter writer;
    private final ObjectMapper json;
    // Deletes after acknowledgement run here, never on the producer's I/O thread.
    private final ExecutorService cleanup = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("outbox-cleanup").daemon().factory());

    public EventOutbox(JdbcTemplate jdbc, KafkaTemplate<String, PlatformEvent> kafka, ObjectMapper json) {
        this.jdbc = jdbc;
        this.kafka = kafka;
        this.json = json;
        this.writer = json.writerFor(PlatformEvent.class);
    }

    private record Staged(long id, String topic, String key, PlatformEvent event) {}

    /** Stores events in the caller's transaction (one is required); they are sent after it commits. */
    public void stage(String topic, List<? extends PlatformEvent> events, Function<PlatformEvent, String> key) {
        if (events.isEmpty()) {
            return;
        }
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            throw new IllegalStateException("the outbox needs the transaction that decided the events");
        }
        List<String> keys = new ArrayList<>(events.size());
        List<String> payloads = new ArrayList<>(events.size());
        for (PlatformEvent event : events) {
            keys.add(key.apply(event));
            payloads.add(serialize(event));
        }
        List<Long> ids =
                jdbc.queryForList("""
                INSERT INTO event_outbox (topic, event_key, payload)
                SELECT ?, k, p FROM unnest(?::text[], ?::text[]) WITH ORDINALITY AS t(k, p, n) ORDER BY n RETURNING id""", Long.class, topic, keys.toArray(String[]::new), payloads.toArray(String[]::new));
        List<Staged> staged = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            staged.add(new Staged(ids.get(i), topic, keys.get(i), events.get(i)));
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                publish(staged);
            }
        });
    }

    /** One event, keyed as given. */
    public void stage(String topic, String key, PlatformEvent event) {
        stage(topic, List.of(event), e -> key);
    }

    private CompletableFuture<Void> publish(List<Staged> staged) {
        CompletableFuture<?>[] sends = staged.stream()
                .map(s -> kafka.send(s.topic(), s.key(), s.event()))
                .toArray(CompletableFuture[]::new);
        Long[] ids = staged.stream().map(Staged::id).toArray(Long[]::new);
        return CompletableFuture.allOf(sends)
                .thenRunAsync(() -> jdbc.update("DELETE FROM event_outbox WHERE id = ANY(?)", (Object) ids), cleanup);
    }

    /** Sends what a crash left behind: rows older than a few seconds were not acknowledged. */
    @Scheduled(fixedDelayString = "${crownest.outbox.sweep-interval:5s}")
    public void sweep() {
        List<Staged> left = jdbc.query(
                """
                SELECT id, topic, event_key, payload FROM event_outbox
                WHERE created_at < now() - interval '5 seconds' ORDER BY id LIMIT 1000""",
                (rs, i) -> new Staged(rs.getLong(1), rs.getString(2), rs.getString(3), deserialize(rs.getString(4))));
        if (!left.isEmpty()) {
            log.info("outbox: re-sending {} events left unacknowledged", left.size());
            publish(left).join();
        }
    }

    private String serialize(PlatformEvent event) {
        try {
            return writer.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(
                    "cannot serialize " + event.getClass().getSimpleName(), e);
        }
    }

    private PlatformEvent deserialize(String payload) {
        try {
            return json.readValue(payload, PlatformEvent.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("outbox row is not a platform event", e);
        }
    }
}
