package dev.crownest.gateway.request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crownest.contracts.api.ApiException;
import java.net.URI;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import reactor.core.publisher.Mono;

class QueryTextFilterTest {
    private final QueryTextFilter filter = new QueryTextFilter();

    @Test
    void aNulInAQueryParameterIs400NamingIt() {
        assertThatThrownBy(() -> run("/v1/audit/events?resourceId=sbx%00x"))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo("invalid_text");
                    assertThat(e.getMessage()).contains("resourceId");
                });
    }

    @Test
    void aControlCharacterInAPathSegmentIsRefused() {
        assertThatThrownBy(() -> run("/v1/sandboxes/sbx%01")).isInstanceOf(ApiException.class);
    }

    @Test
    void plainAndUnicodeTextPasses() {
        assertThat(run("/v1/sandboxes?status=running&metadata=%C3%A9%F0%9F%A6%80"))
                .isTrue();
    }

    @Test
    void pathsOutsideTheApiPass() {
        assertThat(run("/_crownest/other?x=%00")).isTrue();
    }

    private boolean run(String uri) {
        AtomicBoolean passed = new AtomicBoolean();
        filter.filter(
                        MockServerWebExchange.from(MockServerHttpRequest.method(HttpMethod.GET, URI.create(uri))
                                .build()),
                        exchange -> Mono.fromRunnable(() -> passed.set(true)))
                .block();
        return passed.get();
    }
}
