package dev.crownest.gateway.request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crownest.contracts.api.ApiException;
import dev.crownest.gateway.kafka.BroadcastTopicReader;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import reactor.core.publisher.Mono;

class ReadinessFilterTest {

    /** Never started, so never caught up. */
    private final BroadcastTopicReader<Object> starting = new BroadcastTopicReader<>(
            null, "key-events", "g", BroadcastTopicReader.Start.EARLIEST, new Properties(), record -> {});

    private final ReadinessFilter filter = new ReadinessFilter(List.of(starting));

    @Test
    void apiCallsAre503UntilTheReadersAreReady() {
        AtomicBoolean passed = new AtomicBoolean();
        Mono<Void> answer = filter.filter(
                MockServerWebExchange.from(MockServerHttpRequest.get("/v1/sandboxes")),
                exchange -> Mono.fromRunnable(() -> passed.set(true)));
        assertThatThrownBy(answer::block).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.status()).isEqualTo(503);
            assertThat(e.code()).isEqualTo("not_ready");
        });
        assertThat(passed).isFalse();
    }

    @Test
    void healthIsAnsweredWhileStarting() {
        AtomicBoolean passed = new AtomicBoolean();
        filter.filter(
                        MockServerWebExchange.from(MockServerHttpRequest.get("/actuator/health")),
                        exchange -> Mono.fromRunnable(() -> passed.set(true)))
                .block();
        assertThat(passed).isTrue();
        assertThat(starting.health().getStatus().getCode()).isEqualTo("DOWN");
    }
}
