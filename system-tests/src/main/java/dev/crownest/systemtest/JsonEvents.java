package dev.crownest.systemtest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.crownest.contracts.event.PlatformEvent;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Platform events as the services write them to Kafka: JSON with the {@code type} discriminator, ISO instants. */
public final class JsonEvents {
    private static final ObjectWriter WRITER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build()
            .writerFor(PlatformEvent.class);

    private JsonEvents() {}

    /**
     * A producer for tests and benchmarks that publish events themselves, batching as a backlog wants
     * (20 ms linger, 1 MiB batches).
     */
    public static KafkaProducer<String, PlatformEvent> producer(String bootstrap) {
        return new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ProducerConfig.LINGER_MS_CONFIG,
                        20,
                        ProducerConfig.BATCH_SIZE_CONFIG,
                        1 << 20),
                new StringSerializer(),
                new EventSerializer());
    }

    /** A Kafka value serializer for tests and benchmarks that publish events themselves. */
    public static final class EventSerializer implements Serializer<PlatformEvent> {
        @Override
        public byte[] serialize(String topic, PlatformEvent event) {
            try {
                return WRITER.writeValueAsBytes(event);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException(e);
            }
        }
    }
}
