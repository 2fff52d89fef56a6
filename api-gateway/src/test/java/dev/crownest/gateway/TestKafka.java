package dev.crownest.gateway;

import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.kafka.support.JacksonUtils;
import org.springframework.kafka.support.serializer.JsonSerializer;

/** The test broker from {@code CROWNEST_TEST_KAFKA}, and a producer writing JSON as the services do. */
final class TestKafka {

    private static KafkaProducer<String, Object> producer;

    private TestKafka() {}

    static String bootstrapServers() {
        String servers = System.getenv("CROWNEST_TEST_KAFKA");
        if (servers == null || servers.isBlank()) {
            throw new IllegalStateException(
                    "CROWNEST_TEST_KAFKA is not set: the gateway tests need a real Kafka broker "
                            + "(e.g. CROWNEST_TEST_KAFKA=127.0.0.1:19092, or run ./crownest test)");
        }
        return servers;
    }

    static synchronized void send(String topic, String key, Object value) {
        if (producer == null) {
            JsonSerializer<Object> json = new JsonSerializer<>(JacksonUtils.enhancedObjectMapper());
            json.setAddTypeInfo(false);
            producer = new KafkaProducer<>(
                    Map.of(
                            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                            bootstrapServers(),
                            ProducerConfig.ACKS_CONFIG,
                            "all",
                            ProducerConfig.LINGER_MS_CONFIG,
                            0),
                    new StringSerializer(),
                    json);
        }
        try {
            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic, key, value))
                    .get(10, TimeUnit.SECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not publish to " + topic, e);
        }
    }
}
