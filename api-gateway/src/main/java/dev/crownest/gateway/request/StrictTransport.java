package dev.crownest.gateway.request;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * HSTS when the gateway serves HTTPS ({@code server.ssl.*}, a PEM certificate and key): browsers that
 * reached it once over HTTPS never use plain HTTP for it again. Not for subdomains, which may be
 * another party's. Plain HTTP answers carry no such header (it would be ignored, and wrong).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class StrictTransport implements WebFilter {
    static final String HEADER = "Strict-Transport-Security";
    static final String POLICY = "max-age=31536000";

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (exchange.getRequest().getSslInfo() != null) {
            exchange.getResponse().getHeaders().set(HEADER, POLICY);
        }
        return chain.filter(exchange);
    }
}
