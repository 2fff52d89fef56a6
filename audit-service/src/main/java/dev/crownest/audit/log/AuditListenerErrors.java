package dev.crownest.audit.log;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * How the audit consumer treats failures: retried with a back-off (200 ms doubling to 10 s) and no
 * limit, since losing an audit event is worse than falling behind — a database outage only delays
 * the log. An event whose append fails in a way that cannot pass (an integrity violation, a bad
 * argument) is logged with its coordinates and skipped at once, so it cannot stop the log.
 */
@Configuration(proxyBeanMethods = false)
class AuditListenerErrors {
    private static final Logger log = LoggerFactory.getLogger(AuditListenerErrors.class);

    /** Whether retrying the same append later may succeed. */
    static boolean mayPass(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof TransientDataAccessException
                    || t instanceof RecoverableDataAccessException
                    || t instanceof DataAccessResourceFailureException
                    || t instanceof CannotCreateTransactionException) {
                return true;
            }
        }
        return false;
    }

    @Bean
    CommonErrorHandler auditListenerErrorHandler() {
        ExponentialBackOff backOff = new ExponentialBackOff(200, 2.0);
        backOff.setMaxInterval(10_000);
        DefaultErrorHandler handler = new DefaultErrorHandler(
                (ConsumerRecord<?, ?> record, Exception e) -> log.error(
                        "audit event at {}-{}@{} skipped after retries: {}",
                        record.topic(),
                        record.partition(),
                        record.offset(),
                        e.getMessage()),
                backOff);
        // Set aside at once rather than retried for ever: these do not pass.
        handler.addNotRetryableExceptions(
                DataIntegrityViolationException.class, IllegalArgumentException.class, NullPointerException.class);
        return handler;
    }
}
