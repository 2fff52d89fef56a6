package dev.crownest.gateway.command;

import dev.crownest.contracts.event.CommandOutput;
import dev.crownest.contracts.event.Topics;
import dev.crownest.gateway.kafka.BroadcastTopicReader;
import dev.crownest.gateway.kafka.GatewayInstance;
import java.util.Properties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.support.serializer.JsonDeserializer;

/** Feeds the {@link CommandOutputHub} from {@code command-output}, from the moment this gateway starts. */
@Configuration(proxyBeanMethods = false)
class CommandOutputConfiguration {

    /** Bean name doubles as the health component: {@code commandOutput} is UP once positioned. */
    @Bean
    @SuppressWarnings("unchecked")
    BroadcastTopicReader<CommandOutput> commandOutput(
            ConsumerFactory<?, ?> consumers, GatewayInstance instance, CommandOutputHub hub) {
        Properties overrides = new Properties();
        overrides.put(JsonDeserializer.VALUE_DEFAULT_TYPE, CommandOutput.class.getName());
        // Output is transient: only chunks of commands started after this instance is up can matter.
        return new BroadcastTopicReader<>(
                (ConsumerFactory<String, CommandOutput>) consumers,
                Topics.COMMAND_OUTPUT,
                instance.groupId(),
                BroadcastTopicReader.Start.LATEST,
                overrides,
                record -> {
                    CommandOutput chunk = record.value();
                    hub.publish(record.key() != null ? record.key() : chunk.commandId(), chunk);
                });
    }
}
