package dev.crownest.audit.log;

import dev.crownest.kit.kafka.ListenerRetries;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * How the audit consumer treats failures ({@link ListenerRetries}): retried with no limit, since losing
 * an audit event is worse than falling behind — a database outage only delays the log. An event whose
 * append fails in a way that cannot pass (an integrity violation, a bad argument) is skipped at once.
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
        return ListenerRetries.untilPassed(
                log,
                "audit event",
                DataIntegrityViolationException.class,
                IllegalArgumentException.class,
                NullPointerException.class);
    }
}
