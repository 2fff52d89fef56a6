package dev.crownest.kit;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crownest.contracts.event.PlatformEvent;
import org.springframework.boot.autoconfigure.kafka.DefaultKafkaProducerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.support.serializer.JsonSerializer;

/**
 * Every service writes Kafka values with Spring's ObjectMapper (Instants as ISO strings, like the HTTP API)
 * instead of the serializer's private one; still without type headers (the JSON carries {@code type}).
 */
@Configuration(proxyBeanMethods = false)
public class KafkaJsonConfiguration {

    @Bean
    @SuppressWarnings("unchecked")
    DefaultKafkaProducerFactoryCustomizer platformEventJson(ObjectMapper objectMapper) {
        return factory -> {
            DefaultKafkaProducerFactory<Object, PlatformEvent> typed =
                    (DefaultKafkaProducerFactory<Object, PlatformEvent>) factory;
            // The instance is complete; configuring it again from spring.json.* properties is refused.
            typed.setConfigureSerializers(false);
            typed.setValueSerializer(new JsonSerializer<PlatformEvent>(objectMapper).noTypeInfo());
        };
    }
}
