package dev.crownest.kit.kafka;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * The error handler of Kafka listeners whose records must not be lost (audit events, command facts):
 * a failed record is retried with a back-off (200 ms doubling to 10 s) and no limit, so an outage of the
 * database behind the listener only delays it, and the offset moves on only once the record passed.
 * Spring Kafka's default gives up after 10 quick tries and skips the record. Failures of the classes
 * named permanent cannot pass on a retry (a bad record, a refusal of the domain): such a record is
 * logged with its coordinates and skipped at once, so that it cannot stop its partition.
 */
public final class ListenerRetries {
    private ListenerRetries() {}

    /** The handler; {@code what} names a record in the log line of a skipped one. */
    @SafeVarargs
    public static DefaultErrorHandler untilPassed(Logger log, String what, Class<? extends Exception>... permanent) {
        ExponentialBackOff backOff = new ExponentialBackOff(200, 2.0);
        backOff.setMaxInterval(10_000);
        return untilPassed(backOff, log, what, permanent);
    }

    /** With its back-off given: no attempt limit, whatever the back-off's intervals (tests take short ones). */
    @SafeVarargs
    static DefaultErrorHandler untilPassed(
            ExponentialBackOff backOff, Logger log, String what, Class<? extends Exception>... permanent) {
        backOff.setMaxElapsedTime(Long.MAX_VALUE);
        DefaultErrorHandler handler = new DefaultErrorHandler(
                (ConsumerRecord<?, ?> record, Exception e) -> log.error(
                        "{} at {}-{}@{} skipped, it cannot pass: {}",
                        what,
                        record.topic(),
                        record.partition(),
                        record.offset(),
                        e.getMessage()),
                backOff);
        handler.addNotRetryableExceptions(permanent);
        return handler;
    }
}
