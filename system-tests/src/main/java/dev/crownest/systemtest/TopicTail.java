package dev.crownest.systemtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Follows event topics from their current end (or from the beginning), without a consumer group,
 * handing back each event as JSON with the moment it was received here.
 */
public final class TopicTail implements AutoCloseable {
    /** An event and when this reader got it. */
    public record Received(JsonNode event, Instant at) {
        public String type() {
            return event.path("type").asText();
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final KafkaConsumer<String, String> consumer;

    private TopicTail(String bootstrap, boolean fromBeginning, String... topics) {
        consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false,
                        ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG,
                        10,
                        ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                        5000),
                new StringDeserializer(),
                new StringDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics) {
            consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        }
        consumer.assign(partitions);
        if (fromBeginning) {
            consumer.seekToBeginning(partitions);
        } else {
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position); // resolve the end now, not at the first poll
        }
    }

    /** From the current end: only events published from now on. */
    public static TopicTail fromNow(String bootstrap, String... topics) {
        return new TopicTail(bootstrap, false, topics);
    }

    public static TopicTail fromBeginning(String bootstrap, String... topics) {
        return new TopicTail(bootstrap, true, topics);
    }

    public List<Received> poll(Duration timeout) {
        List<Received> got = new ArrayList<>();
        for (var record : consumer.poll(timeout)) {
            Instant at = Instant.now();
            try {
                got.add(new Received(JSON.readTree(record.value()), at));
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON on " + record.topic(), e);
            }
        }
        return got;
    }

    /** Everything until nothing more arrives for {@code quiet}. */
    public List<Received> drain(Duration quiet) {
        List<Received> all = new ArrayList<>();
        for (List<Received> batch = poll(quiet); !batch.isEmpty(); batch = poll(quiet)) {
            all.addAll(batch);
        }
        return all;
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(1));
    }
}
