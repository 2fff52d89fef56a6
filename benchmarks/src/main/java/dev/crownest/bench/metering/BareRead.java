package dev.crownest.bench.metering;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The baseline of the throughput figures: a bare consumer reading a range of a topic and parsing each
 * record as JSON (the ceiling any consumer of that topic has on this machine, in the same run). One
 * thread, as {@code TopicTail} reads: 5,000 records a poll, 10 ms fetch wait.
 */
final class BareRead {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final Duration STALL = Duration.ofSeconds(30);

    private BareRead() {}

    private static KafkaConsumer<String, String> consumer(String bootstrap) {
        return new KafkaConsumer<>(
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
    }

    /** Where each partition of {@code topic} ends now: taken before a backlog is published, its start. */
    static Map<TopicPartition, Long> ends(String bootstrap, String topic) {
        try (KafkaConsumer<String, String> consumer = consumer(bootstrap)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            return new HashMap<>(consumer.endOffsets(partitions));
        }
    }

    /** A bare read's rate, and the CPU it took per record (this thread: the poll's I/O and the parse). */
    record Read(double perSecond, double cpuMicrosPerRecord) {}

    /** Reads and parses every record from {@code from} to {@code to}. */
    static Read read(String bootstrap, Map<TopicPartition, Long> from, Map<TopicPartition, Long> to) {
        long expected = to.entrySet().stream()
                .mapToLong(e -> e.getValue() - from.getOrDefault(e.getKey(), 0L))
                .sum();
        try (KafkaConsumer<String, String> consumer = consumer(bootstrap)) {
            consumer.assign(to.keySet());
            from.forEach(consumer::seek);
            long start = System.nanoTime();
            long cpuStart = THREADS.getCurrentThreadCpuTime();
            long lastProgress = start;
            long read = 0;
            while (read < expected) {
                var records = consumer.poll(Duration.ofMillis(200));
                for (var record : records) {
                    if (record.offset() < to.get(new TopicPartition(record.topic(), record.partition()))) {
                        parse(record.value());
                        read++;
                    }
                }
                long now = System.nanoTime();
                if (!records.isEmpty()) {
                    lastProgress = now;
                } else if (now - lastProgress > STALL.toNanos()) {
                    throw new IllegalStateException("bare read stalled at " + read + " of " + expected);
                }
            }
            return new Read(
                    read / ((System.nanoTime() - start) / 1e9),
                    (THREADS.getCurrentThreadCpuTime() - cpuStart) / 1e3 / read);
        }
    }

    private static void parse(String value) {
        try {
            JSON.readTree(value);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON", e);
        }
    }
}
