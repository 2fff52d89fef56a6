package dev.crownest.gateway.key;

import dev.crownest.contracts.event.KeyEvent;
import dev.crownest.contracts.event.PlatformEvent;
import dev.crownest.contracts.event.TenantEvent;
import dev.crownest.contracts.event.Topics;
import dev.crownest.gateway.kafka.BroadcastTopicReader;
import dev.crownest.gateway.kafka.GatewayInstance;
import java.util.Properties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.ConsumerFactory;

/**
 * Feeds the {@link ApiKeyCache}, the {@link TenantAdminSessions} and the {@link SuspendedTenants} from the
 * whole history of {@code key-events}.
 */
@Configuration(proxyBeanMethods = false)
class KeyEventsConfiguration {

    /** Bean name doubles as the health component: {@code keyEvents} is UP once the cache has caught up. */
    @Bean
    @SuppressWarnings("unchecked")
    BroadcastTopicReader<PlatformEvent> keyEvents(
            ConsumerFactory<?, ?> consumers,
            GatewayInstance instance,
            ApiKeyCache cache,
            TenantAdminSessions sessions,
            SuspendedTenants suspended) {
        return new BroadcastTopicReader<>(
                (ConsumerFactory<String, PlatformEvent>) consumers,
                Topics.KEY_EVENTS,
                instance.groupId(),
                BroadcastTopicReader.Start.EARLIEST,
                new Properties(),
                record -> {
                    if (record.value() instanceof KeyEvent event) {
                        cache.apply(event);
                    } else if (record.value() instanceof TenantEvent event) {
                        sessions.apply(event);
                        suspended.apply(event);
                    }
                });
    }
}
