package dev.crownest.gateway.request;

import dev.crownest.contracts.api.ApiException;
import dev.crownest.gateway.kafka.BroadcastTopicReader;
import java.util.List;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Answers API calls with 503 {@code not_ready} until the key cache has replayed {@code key-events} and
 * the output stream is positioned, so a valid key is never refused with 401 just after a start.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
public class ReadinessFilter implements WebFilter {

    private final List<BroadcastTopicReader<?>> readers;

    public ReadinessFilter(List<BroadcastTopicReader<?>> readers) {
        this.readers = readers;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (exchange.getRequest().getPath().value().startsWith("/v1/")
                && !readers.stream().allMatch(BroadcastTopicReader::isReady)) {
            return Mono.error(ApiException.unavailable("not_ready", "the gateway is starting, retry shortly"));
        }
        return chain.filter(exchange);
    }
}
