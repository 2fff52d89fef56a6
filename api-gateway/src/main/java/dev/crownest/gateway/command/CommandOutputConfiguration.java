package dev.crownest.gateway.command;

import dev.crownest.contracts.event.CommandOutputBytes;
import dev.crownest.contracts.event.Topics;
import dev.crownest.gateway.kafka.BroadcastTopicReader;
import dev.crownest.gateway.kafka.GatewayInstance;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.ConsumerFactory;

import java.util.Properties;

/** Feeds the {@link CommandOutputHub} from {@code command-output}, from the moment this gateway starts. */
@Configuration(proxyBeanMethods = false)
class CommandOutputConfiguration {
    private static final Logger log = LoggerFactory.getLogger(CommandOutputConfiguration.class);

    /** Bean name doubles as the health component: {@code commandOutput} is UP once positioned. */
    @Bean
    @SuppressWarnings("unchecked")
    BroadcastTopicReader<byte[]> commandOutput(ConsumerFactory<?, ?> consumers, GatewayInstance instance,
                                               CommandOutputHub hub) {
        Properties overrides = new Properties();
        // records are CommandOutputBytes, not JSON
        overrides.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        // a fast stream's records are 256 KiB: take more than four of them per partition and fetch
        overrides.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(8 * 1024 * 1024));
        // Output is transient: only chunks of commands started after this instance is up can matter.
        return new BroadcastTopicReader<>((ConsumerFactory<String, byte[]>) consumers, Topics.COMMAND_OUTPUT,
                instance.groupId(), BroadcastTopicReader.Start.LATEST, overrides, record -> {
            if (record.value() == null || record.key() == null || !hub.listening(record.key())) {
                return; // nobody streams this command here: not even decoded
            }
            try {
                hub.publish(record.key(), CommandOutputBytes.decode(record.value()));
            } catch (IllegalArgumentException unreadable) {
                log.warn("skipped a command-output record of {} at offset {}: {}", record.key(), record.offset(), unreadable.getMessage());
            }
        });
    }
}
