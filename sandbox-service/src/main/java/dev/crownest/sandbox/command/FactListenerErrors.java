package dev.crownest.sandbox.command;

import dev.crownest.contracts.api.ApiException;
import dev.crownest.kit.kafka.ListenerRetries;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.listener.CommonErrorHandler;

/**
 * How sandbox-service's Kafka listeners treat failures ({@link ListenerRetries}; Spring Boot gives the one
 * handler to every listener here). A command fact that cannot be recorded now (the event store out of
 * reach) is retried until it is: skipped, the command would have run with no record, no
 * {@code command-events} and no audit. The hard-cap breaches and template states of the other listeners
 * must not be dropped either. A refusal of the domain ({@link ApiException}) or a bad record cannot pass
 * on a retry, and is skipped at once.
 */
@Configuration(proxyBeanMethods = false)
class FactListenerErrors {
    private static final Logger log = LoggerFactory.getLogger(FactListenerErrors.class);

    @Bean
    CommonErrorHandler sandboxListenerErrorHandler() {
        return ListenerRetries.untilPassed(
                log, "record", ApiException.class, IllegalArgumentException.class, NullPointerException.class);
    }
}
