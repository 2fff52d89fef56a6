package dev.crownest.systemtest;

import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.crownest.contracts.event.PlatformEvent;

/** Platform events as the services write them to Kafka: JSON with the {@code type} discriminator, ISO instants. */
public final class JsonEvents {
    private static final ObjectWriter WRITER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build()
            .writerFor(PlatformEvent.class);

    private JsonEvents() {}

    /** A Kafka value serializer for tests and benchmarks that publish events themselves. */
    public static final class Serializer implements org.apache.kafka.common.serialization.Serializer<PlatformEvent> {
        @Override
        public byte[] serialize(String topic, PlatformEvent event) {
            try {
                return WRITER.writeValueAsBytes(event);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalArgumentException(e);
            }
        }
    }
}
