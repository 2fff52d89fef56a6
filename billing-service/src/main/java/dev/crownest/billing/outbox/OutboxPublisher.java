package dev.crownest.billing.outbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crownest.contracts.event.PlatformEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Sends unpublished outbox rows to Kafka in order and marks them. A crash between send and mark
 * sends a row again (at least once); consumers dedupe by eventId. SKIP LOCKED lets several
 * instances share the outbox without sending a row twice at the same time.
 */
@Component
class OutboxPublisher {
    private static final Logger log = LoggerFactory.getLogger(OutboxPublisher.class);
    private final JdbcTemplate jdbc;
    private final KafkaTemplate<String, PlatformEvent> kafka;
    private final ObjectMapper json;
    private final Clock clock;
    private final int batchSize;

    OutboxPublisher(JdbcTemplate jdbc, KafkaTemplate<String, PlatformEvent> kafka, ObjectMapper json, Clock clock,
                    @Value("${crownest.billing.outbox.batch-size:50}") int batchSize) {
        this.jdbc = jdbc;
        this.kafka = kafka;
        this.json = json;
        this.clock = clock;
        this.batchSize = batchSize;
    }

    @Scheduled(fixedDelayString = "${crownest.billing.outbox.interval-ms:500}")
    @Transactional
    public void publish() {
        List<Map<String, Object>> rows = jdbc.queryForList("""
                SELECT id, topic, event_key, payload FROM outbox_event WHERE published_at IS NULL
                ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED""", batchSize);
        for (Map<String, Object> row : rows) {
            try {
                PlatformEvent event = json.readValue((String) row.get("payload"), PlatformEvent.class);
                kafka.send((String) row.get("topic"), (String) row.get("event_key"), event).get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                // stop at the first failure so events leave in order; the next run tries again
                log.warn("outbox row {} not published yet: {}", row.get("id"), e.toString());
                return;
            }
            jdbc.update("UPDATE outbox_event SET published_at = ? WHERE id = ?", Timestamp.from(clock.instant()), row.get("id"));
        }
    }
}
