package dev.crownest.gateway.content;

import dev.crownest.contracts.api.ApiException;
import dev.crownest.gateway.file.FileUploads;
import java.util.Set;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * A body sent to the API is JSON and says so: a POST, PUT or PATCH under {@code /v1/} with a body whose
 * {@code Content-Type} is not {@code application/json} (or {@code +json}) is 415
 * {@code unsupported_media_type} before anything reads it. File content is any type (the files API and
 * signed uploads); a request without a body needs no type. Preview hosts never get here.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 15)
public class JsonContentType implements WebFilter {
    private static final Set<HttpMethod> WITH_BODY = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH);

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        if (!WITH_BODY.contains(request.getMethod())
                || !request.getPath().value().startsWith("/v1/")
                || !hasBody(request.getHeaders())
                || FileUploads.carriesFileContent(request)
                || isJson(request.getHeaders())) {
            return chain.filter(exchange);
        }
        return Mono.error(new ApiException(
                HttpStatus.UNSUPPORTED_MEDIA_TYPE.value(),
                "invalid_request",
                "unsupported_media_type",
                "send the body as application/json (Content-Type: application/json)"));
    }

    private static boolean hasBody(HttpHeaders headers) {
        return headers.getContentLength() > 0 || headers.containsKey(HttpHeaders.TRANSFER_ENCODING);
    }

    private static boolean isJson(HttpHeaders headers) {
        MediaType type;
        try {
            type = headers.getContentType();
        } catch (IllegalArgumentException unreadable) {
            return false;
        }
        return type != null
                && (MediaType.APPLICATION_JSON.isCompatibleWith(type)
                        || type.getSubtype().endsWith("+json"));
    }
}
