package dev.crownest.gateway.request;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/** Gives every request a fresh {@code req_} id and answers it in {@code x-request-id}, errors included. */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class RequestIdFilter implements WebFilter {

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        // Set before anything can fail, so the header is on every answer, also those of the error handler.
        exchange.getResponse().getHeaders().set(RequestIds.RESPONSE_HEADER, RequestIds.of(exchange));
        return chain.filter(exchange);
    }
}
