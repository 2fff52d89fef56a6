package dev.crownest.kit.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.crownest.contracts.api.ApiException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.ListenerExecutionFailedException;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.util.backoff.ExponentialBackOff;

class ListenerRetriesTest {
    /** The production handler with milliseconds between tries instead of up to 10 s. */
    private final DefaultErrorHandler handler = ListenerRetries.untilPassed(
            shortBackOff(), LoggerFactory.getLogger(ListenerRetriesTest.class), "record", ApiException.class);

    private final MockConsumer<String, String> consumer = new MockConsumer<>(OffsetResetStrategy.EARLIEST);
    private final MessageListenerContainer container = mock(MessageListenerContainer.class);
    private final ConsumerRecord<String, String> record = new ConsumerRecord<>("command-facts", 0, 42, "k", "v");

    ListenerRetriesTest() {
        when(container.isRunning()).thenReturn(true);
    }

    @Test
    void aFailureThatMayPassIsRetriedAndTheRecordKept() {
        // Spring Kafka's default handler gives up after 10 tries and skips the record; this one does not.
        // Each false is "not recovered": the container seeks back and delivers the record again.
        for (int attempt = 0; attempt < 25; attempt++) {
            assertThat(handler.handleOne(
                            failure(new DataAccessResourceFailureException("db down")), record, consumer, container))
                    .isFalse();
        }
    }

    @Test
    void aFailureThatCannotPassIsSkippedAtOnce() {
        assertThat(handler.handleOne(
                        failure(ApiException.notFound("sandbox_not_found", "gone")), record, consumer, container))
                .isTrue();
    }

    private static ExponentialBackOff shortBackOff() {
        ExponentialBackOff backOff = new ExponentialBackOff(1, 2.0);
        backOff.setMaxInterval(2);
        return backOff;
    }

    /** As the listener container hands it over: the listener's exception, wrapped. */
    private static ListenerExecutionFailedException failure(Exception cause) {
        return new ListenerExecutionFailedException("listener failed", cause);
    }
}
