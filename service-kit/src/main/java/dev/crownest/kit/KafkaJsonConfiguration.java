package dev.crownest.kit;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.springframework.boot.autoconfigure.kafka.DefaultKafkaProducerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.support.serializer.DelegatingByTypeSerializer;
import org.springframework.kafka.support.serializer.JsonSerializer;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every service writes Kafka values with Spring's ObjectMapper (Instants as ISO strings, like the HTTP API)
 * instead of the serializer's private one; still without type headers (the JSON carries {@code type}).
 * A {@code byte[]} value is written as it is: a record already in its wire form ({@link
 * dev.crownest.contracts.event.CommandOutputBytes}).
 */
@Configuration(proxyBeanMethods = false)
public class KafkaJsonConfiguration {

    @Bean
    @SuppressWarnings("unchecked")
    DefaultKafkaProducerFactoryCustomizer platformEventJson(ObjectMapper objectMapper) {
        return factory -> {
            DefaultKafkaProducerFactory<Object, Object> typed = (DefaultKafkaProducerFactory<Object, Object>) factory;
            // The instance is complete; configuring it again from spring.json.* properties is refused.
            typed.setConfigureSerializers(false);
            Map<Class<?>, Serializer<?>> byType = new LinkedHashMap<>();
            byType.put(byte[].class, new ByteArraySerializer());
            byType.put(Object.class, new JsonSerializer<>(objectMapper).noTypeInfo());
            typed.setValueSerializer(new DelegatingByTypeSerializer(byType, true));
        };
    }
}
