package dev.crownest.metering.offset;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.listener.ConsumerSeekAware;
import org.springframework.stereotype.Repository;

/**
 * Kafka positions kept in PostgreSQL beside the rows a batch produced, written in the same
 * transaction. On assignment the consumer seeks to them, so a batch is applied exactly once even
 * if the process dies between its commit and Kafka's offset commit.
 */
@Repository
public class StoredOffsets {
    private final JdbcTemplate jdbc;

    public StoredOffsets(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Records the position after {@code records}; call inside the transaction that applied them. */
    public void save(String consumer, List<? extends ConsumerRecord<?, ?>> records) {
        Map<TopicPartition, Long> next = new HashMap<>();
        for (ConsumerRecord<?, ?> record : records) {
            next.merge(new TopicPartition(record.topic(), record.partition()), record.offset() + 1, Math::max);
        }
        List<Object[]> rows = next.entrySet().stream()
                .map(e -> new Object[] {consumer, e.getKey().topic(), e.getKey().partition(), e.getValue()})
                .toList();
        jdbc.batchUpdate("""
                INSERT INTO consumer_offset (consumer, topic, partition, next_offset) VALUES (?, ?, ?, ?)
                ON CONFLICT (consumer, topic, partition) DO UPDATE SET next_offset = GREATEST(consumer_offset.next_offset, EXCLUDED.next_offset)""", rows);
    }

    /** Moves a freshly assigned consumer to the stored positions; partitions never seen keep Kafka's. */
    public void seek(
            String consumer, Map<TopicPartition, Long> assignments, ConsumerSeekAware.ConsumerSeekCallback callback) {
        for (TopicPartition partition : assignments.keySet()) {
            List<Long> stored = jdbc.queryForList(
                    "SELECT next_offset FROM consumer_offset WHERE consumer = ? AND topic = ? AND partition = ?",
                    Long.class,
                    consumer,
                    partition.topic(),
                    partition.partition());
            if (!stored.isEmpty()) {
                callback.seek(partition.topic(), partition.partition(), stored.get(0));
            }
        }
    }

    /** Forgets the positions of a consumer: its next assignment starts where Kafka's group says (a replay). */
    public int reset(String consumer) {
        return jdbc.update("DELETE FROM consumer_offset WHERE consumer = ?", consumer);
    }
}
