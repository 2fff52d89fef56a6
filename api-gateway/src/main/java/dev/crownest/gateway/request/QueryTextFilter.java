package dev.crownest.gateway.request;

import dev.crownest.contracts.api.ApiException;
import dev.crownest.contracts.text.TextRules;
import java.util.List;
import java.util.Map;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.server.PathContainer;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * {@link TextRules} on what the URL of an API request carries, decoded: each path segment (ids) and each
 * query parameter's name and values (filters, paths, cursors). One filter for every route, before any
 * handler or service sees the text: 400 {@code invalid_text} naming the parameter. Bodies are checked
 * where they are read ({@code JsonBodies}). A preview's paths and queries are its app's business: preview
 * hosts are taken by {@code PreviewGate}, ordered before this filter, and never reach it.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 15)
public class QueryTextFilter implements WebFilter {

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        String path = request.getPath().value();
        if (!path.startsWith("/v1/")) {
            return chain.filter(exchange);
        }
        try {
            check(request);
        } catch (ApiException refused) {
            return Mono.error(refused);
        }
        return chain.filter(exchange);
    }

    private static void check(ServerHttpRequest request) {
        for (PathContainer.Element element :
                request.getPath().pathWithinApplication().elements()) {
            if (element instanceof PathContainer.PathSegment segment) {
                TextRules.check("a segment of the path", segment.valueToMatch(), false);
            }
        }
        for (Map.Entry<String, List<String>> parameter :
                request.getQueryParams().entrySet()) {
            TextRules.check("the name of a query parameter", parameter.getKey(), false);
            for (String value : parameter.getValue()) {
                TextRules.check("query parameter '" + parameter.getKey() + "'", value, false);
            }
        }
    }
}
