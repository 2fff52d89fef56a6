package dev.crownest.gateway.request;

import dev.crownest.contracts.api.ApiException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * The gateway's limits on a request's line (414 {@code uri_too_long}) and headers (431
 * {@code headers_too_large}), checked here rather than by Reactor Netty's decoder. Netty's own refusal
 * ({@code NettyRefusals}) goes through its decoder-failure path, which on a kept-alive connection, with
 * the previous exchange not yet terminated, sometimes wrote no answer at all (reactor-netty 1.2.11: about
 * 1 overlong request in 50 hung until the client gave up). Netty's limits are set far above these
 * ({@code server.netty.max-initial-line-length}, {@code server.max-http-request-header-size}), so what
 * ordinary clients send is refused here, on the ordinary path, with the connection kept.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
public class RequestSizeLimits implements WebFilter {
    /** Path and query, as sent; what Netty allowed before (4 KiB) less the method and version. */
    static final int MAX_TARGET = 4096;
    /** Names and values of all headers, as sent. */
    static final int MAX_HEADERS = 8192;

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        URI uri = exchange.getRequest().getURI();
        int target = length(uri.getRawPath())
                + (uri.getRawQuery() == null ? 0 : 1 + uri.getRawQuery().length());
        if (target > MAX_TARGET) {
            return Mono.error(new ApiException(
                    HttpStatus.URI_TOO_LONG.value(),
                    "invalid_request",
                    "uri_too_long",
                    "the request line is longer than the gateway accepts (" + MAX_TARGET + " characters)"));
        }
        int headers = 0;
        for (Map.Entry<String, List<String>> header :
                exchange.getRequest().getHeaders().headerSet()) {
            for (String value : header.getValue()) {
                headers += header.getKey().length() + value.length();
            }
        }
        if (headers > MAX_HEADERS) {
            return Mono.error(new ApiException(
                    HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE.value(),
                    "invalid_request",
                    "headers_too_large",
                    "the request's headers are larger than the gateway accepts (" + MAX_HEADERS + " bytes)"));
        }
        return chain.filter(exchange);
    }

    private static int length(String text) {
        return text == null ? 0 : text.length();
    }
}
