package dev.crownest.gateway.sandbox;

import dev.crownest.contracts.event.Topics;
import dev.crownest.gateway.kafka.BroadcastTopicReader;
import dev.crownest.gateway.kafka.GatewayInstance;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.ConsumerFactory;

/**
 * Keeps the {@link SandboxReadCache} exact and feeds the live streams ({@link SandboxChanges}) from
 * {@code sandbox-events}, read from the moment this gateway starts.
 */
@Configuration(proxyBeanMethods = false)
class SandboxEventsConfiguration {

    /** Bean name doubles as the health component: {@code sandboxEvents} is UP once positioned. */
    @Bean
    @SuppressWarnings("unchecked")
    BroadcastTopicReader<byte[]> sandboxEvents(
            ConsumerFactory<?, ?> consumers, GatewayInstance instance, SandboxReadCache cache, SandboxChanges changes) {
        // The key (the sandbox id, Topics.SANDBOX_EVENTS) is what the cache needs: any event drops the entry,
        // and an event type this gateway does not know still counts. Live streams read the value's tenant.
        Properties overrides = new Properties();
        overrides.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        // The cache starts empty: only changes from now on matter.
        return new BroadcastTopicReader<>(
                (ConsumerFactory<String, byte[]>) consumers,
                Topics.SANDBOX_EVENTS,
                instance.groupId(),
                BroadcastTopicReader.Start.LATEST,
                overrides,
                record -> {
                    if (record.key() != null) {
                        cache.changed(record.key());
                        changes.heard(record.key(), record.value());
                    }
                },
                cache);
    }
}
