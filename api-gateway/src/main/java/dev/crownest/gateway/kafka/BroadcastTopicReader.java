package dev.crownest.gateway.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.ConsumerFactory;

/**
 * Reads every partition of one topic on every gateway instance (broadcast). Partitions are assigned
 * directly rather than through group membership: every instance needs all records anyway, and a join
 * would cost a rebalance delay at each start. The consumer is configured from {@code spring.kafka.consumer}
 * (application.yml) with per-reader overrides.
 *
 * <p>The reader is ready once its partitions are assigned and positioned and it has consumed up to the
 * end offsets it saw at start-up: for an {@link Start#EARLIEST} reader that means the whole history has
 * been applied; for a {@link Start#LATEST} reader that nothing published from now on can be missed.
 *
 * @param <V> the record value type, as the configured deserializer produces it
 */
public final class BroadcastTopicReader<V> implements SmartLifecycle, HealthIndicator {

    /** Where a fresh reader starts. */
    public enum Start {
        EARLIEST,
        LATEST
    }

    /** What to do with each record; called on the reader's own thread, in partition order. */
    @FunctionalInterface
    public interface RecordHandler<V> {
        void handle(ConsumerRecord<String, V> record);
    }

    /**
     * Told when the reader's view of the topic starts and stops being continuous: a cache fed by the
     * topic must forget what it holds when records may have been missed (a reconnect of a LATEST reader).
     */
    public interface Continuity {
        /** Partitions assigned and positioned: from now on every record is handed over. */
        void positioned();

        /** The consumer failed or stopped: records may be missed until the next {@link #positioned()}. */
        void lost();

        Continuity NONE = new Continuity() {
            @Override
            public void positioned() {}

            @Override
            public void lost() {}
        };
    }

    private static final Logger log = LoggerFactory.getLogger(BroadcastTopicReader.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration RETRY = Duration.ofSeconds(1);

    private final ConsumerFactory<String, V> consumers;
    private final String topic;
    private final String groupId;
    private final Start start;
    private final Properties overrides;
    private final RecordHandler<V> handler;
    private final Continuity continuity;

    private volatile boolean running;
    private volatile boolean ready;
    private volatile Consumer<String, V> consumer;
    private volatile int partitionCount;
    private Thread thread;

    /**
     * @param consumers the Spring Boot consumer factory, configured by {@code spring.kafka.consumer}
     * @param groupId   unique per gateway instance; nothing is committed under it
     * @param overrides consumer properties that differ for this reader, e.g. the JSON default type
     */
    public BroadcastTopicReader(
            ConsumerFactory<String, V> consumers,
            String topic,
            String groupId,
            Start start,
            Properties overrides,
            RecordHandler<V> handler) {
        this(consumers, topic, groupId, start, overrides, handler, Continuity.NONE);
    }

    /** As above, telling {@code continuity} when the reader is positioned and when it lost its place. */
    public BroadcastTopicReader(
            ConsumerFactory<String, V> consumers,
            String topic,
            String groupId,
            Start start,
            Properties overrides,
            RecordHandler<V> handler,
            Continuity continuity) {
        this.continuity = continuity;
        this.consumers = consumers;
        this.topic = topic;
        this.groupId = groupId;
        this.start = start;
        this.overrides = new Properties();
        this.overrides.putAll(overrides);
        this.overrides.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        this.overrides.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, start == Start.EARLIEST ? "earliest" : "latest");
        this.handler = handler;
    }

    /** True once positioned and caught up with the end offsets seen at start-up. */
    public boolean isReady() {
        return ready;
    }

    public String topic() {
        return topic;
    }

    @Override
    public Health health() {
        Health.Builder health = ready ? Health.up() : Health.down();
        return health.withDetail("topic", topic)
                .withDetail("partitions", partitionCount)
                .build();
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        // A platform thread: the Kafka consumer blocks in poll and is not virtual-thread friendly.
        thread = new Thread(this::readUntilStopped, "broadcast-" + topic);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public synchronized void stop() {
        running = false;
        Consumer<String, V> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void readUntilStopped() {
        while (running) {
            try (Consumer<String, V> session = consumers.createConsumer(groupId, null, "-" + topic, overrides)) {
                consumer = session;
                read(session);
            } catch (WakeupException stopping) {
                // stop() woke the consumer up
            } catch (RuntimeException e) {
                if (!running) {
                    break;
                }
                log.warn("reading {} failed, reconnecting in {}: {}", topic, RETRY, e.toString());
                sleep(RETRY);
            } finally {
                consumer = null;
                continuity.lost();
            }
        }
    }

    private void read(Consumer<String, V> session) {
        List<TopicPartition> partitions = awaitPartitions(session);
        session.assign(partitions);
        if (start == Start.EARLIEST) {
            session.seekToBeginning(partitions);
        } else {
            session.seekToEnd(partitions);
        }
        Map<TopicPartition, Long> targets = session.endOffsets(partitions);
        // position() resolves the lazy seek now, so a LATEST reader cannot miss records published after ready.
        partitions.forEach(session::position);
        partitionCount = partitions.size();
        continuity.positioned();
        markReadyIfCaughtUp(session, targets);
        while (running) {
            ConsumerRecords<String, V> records = session.poll(POLL);
            for (ConsumerRecord<String, V> record : records) {
                if (record.value() == null) {
                    continue; // undeserializable record (ErrorHandlingDeserializer): skip it, never stop reading
                }
                try {
                    handler.handle(record);
                } catch (RuntimeException e) {
                    log.warn(
                            "skipping record {}-{}@{}: {}",
                            record.topic(),
                            record.partition(),
                            record.offset(),
                            e.toString());
                }
            }
            if (!ready) {
                markReadyIfCaughtUp(session, targets);
            }
        }
    }

    private void markReadyIfCaughtUp(Consumer<String, V> session, Map<TopicPartition, Long> targets) {
        boolean caughtUp = targets.entrySet().stream().allMatch(t -> session.position(t.getKey()) >= t.getValue());
        if (caughtUp && !ready) {
            ready = true;
            log.info("{} ready: {} partitions, caught up with {}", topic, targets.size(), targets.values());
        }
    }

    private List<TopicPartition> awaitPartitions(Consumer<String, V> session) {
        // Asking for metadata lets the broker auto-create the topic; it may take a moment to appear.
        while (true) {
            List<PartitionInfo> infos = session.partitionsFor(topic);
            if (infos != null && !infos.isEmpty()) {
                return infos.stream()
                        .map(i -> new TopicPartition(i.topic(), i.partition()))
                        .toList();
            }
            if (!running) {
                throw new WakeupException();
            }
            sleep(Duration.ofMillis(200));
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
