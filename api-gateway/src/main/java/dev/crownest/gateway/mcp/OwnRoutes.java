package dev.crownest.gateway.mcp;

import dev.crownest.gateway.key.ApiKeyAuthentication;
import dev.crownest.gateway.mcp.McpToolRoutes.ToolRoute;
import dev.crownest.gateway.upstream.Upstream;
import java.net.URI;
import java.util.Arrays;
import java.util.Map;
import org.springframework.boot.web.context.WebServerInitializedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/**
 * Calls this gateway's own public routes over loopback, as the MCP caller with its key: a tool then runs
 * exactly what the route runs (authentication, the route's scope, rate limit, idempotency, the handler and
 * everything behind it) and answers what the route answers, without a second copy of any of it. The cost
 * is one local HTTP hop, small beside what any tool does.
 */
@Component
class OwnRoutes {

    /** What a route answered; {@code truncated} when the body was longer than the caller would read. */
    record Answer(HttpStatusCode status, MediaType contentType, byte[] body, boolean truncated) {
        boolean isError() {
            return status.isError();
        }
    }

    private final WebClient client;
    private volatile String base;

    OwnRoutes(WebClient.Builder builder) {
        this.client = builder.build();
    }

    /** The gateway's own port, once it listens (the management server, if on its own port, is not it). */
    @EventListener
    void listening(WebServerInitializedEvent event) {
        if (event.getApplicationContext().getServerNamespace() == null) {
            base = "http://127.0.0.1:" + event.getWebServer().getPort();
        }
    }

    /**
     * Calls {@code route} for the sandbox {@code sandboxId} (null for a route without one) with the query
     * {@code rawQuery} (already encoded, or null) and {@code body} (JSON unless it is a {@code byte[]}),
     * reading at most {@code maxBytes} of the answer.
     */
    Mono<Answer> call(McpCaller caller, ToolRoute route, String sandboxId, String rawQuery, Object body, int maxBytes) {
        if (base == null) {
            return Mono.error(new IllegalStateException("the gateway is not listening yet"));
        }
        URI uri = Upstream.uri(base, route.path(), rawQuery, sandboxId == null ? Map.of() : Map.of("id", sandboxId));
        WebClient.RequestBodySpec request = client.method(route.method())
                .uri(uri)
                .headers(headers -> {
                    headers.set(ApiKeyAuthentication.API_KEY_HEADER, caller.apiKey());
                    if (caller.host() != null) {
                        headers.set(HttpHeaders.HOST, caller.host());
                    }
                });
        WebClient.RequestHeadersSpec<?> ready;
        if (body instanceof byte[] bytes) {
            ready = request.contentType(MediaType.APPLICATION_OCTET_STREAM).bodyValue(bytes);
        } else if (body != null) {
            ready = request.contentType(MediaType.APPLICATION_JSON).bodyValue(body);
        } else {
            ready = request;
        }
        return ready.exchangeToMono(response -> DataBufferUtils.join(
                        DataBufferUtils.takeUntilByteCount(response.bodyToFlux(DataBuffer.class), maxBytes + 1L))
                .map(OwnRoutes::bytes)
                .defaultIfEmpty(new byte[0])
                .map(bytes -> new Answer(
                        response.statusCode(),
                        response.headers().contentType().orElse(null),
                        bytes.length > maxBytes ? Arrays.copyOf(bytes, maxBytes) : bytes,
                        bytes.length > maxBytes)));
    }

    private static byte[] bytes(DataBuffer buffer) {
        try {
            byte[] content = new byte[buffer.readableByteCount()];
            buffer.read(content);
            return content;
        } finally {
            DataBufferUtils.release(buffer);
        }
    }
}
