package dev.crownest.billing.webhook;

import dev.crownest.kit.kafka.ListenerRetries;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.kafka.ConcurrentKafkaListenerContainerFactoryConfigurer;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.ConsumerFactory;

/**
 * The webhook source listener's container: Boot's settings (batch listener), and failures retried
 * with a back-off and no limit ({@link ListenerRetries}), so a database outage delays events but never
 * drops one. The ledger's listener keeps Boot's default container.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(WebhookProperties.class)
class WebhookListenerConfiguration {
    static final String FACTORY = "webhookListenerFactory";
    private static final Logger log = LoggerFactory.getLogger(WebhookListenerConfiguration.class);

    @Bean(FACTORY)
    ConcurrentKafkaListenerContainerFactory<Object, Object> webhookListenerFactory(
            ConcurrentKafkaListenerContainerFactoryConfigurer configurer, ConsumerFactory<Object, Object> consumers) {
        ConcurrentKafkaListenerContainerFactory<Object, Object> factory =
                new ConcurrentKafkaListenerContainerFactory<>();
        configurer.configure(factory, consumers);
        factory.setCommonErrorHandler(ListenerRetries.untilPassed(
                log, "webhook source event", DataIntegrityViolationException.class, IllegalArgumentException.class));
        return factory;
    }
}
