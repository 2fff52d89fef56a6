package dev.crownest.gateway.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Handlers for routes that add nothing to the service's answer: the same call on the internal
 * path (route variables filled in by name, the caller's query kept), a JSON body read and checked
 * first for POST and PUT, and the answer handed back.
 */
@Component
public class Relay {
    private final Upstream upstream;
    private final JsonBodies bodies;

    public Relay(Upstream upstream, JsonBodies bodies) {
        this.upstream = upstream;
        this.bodies = bodies;
    }

    public HandlerFunction<ServerResponse> to(HttpMethod method, String base, String template) {
        boolean hasBody = method == HttpMethod.POST || method == HttpMethod.PUT;
        return request -> {
            var uri = Upstream.uri(base, template, request.uri().getRawQuery(), request.pathVariables());
            return hasBody
                    ? bodies.read(request, JsonNode.class).flatMap(body -> upstream.forward(request, method, uri, body))
                    : upstream.forward(request, method, uri, null);
        };
    }

    /** A GET whose answer (an export) streams through. */
    public HandlerFunction<ServerResponse> streaming(String base, String template) {
        return request -> upstream.stream(
                request,
                Upstream.uri(base, template, request.uri().getRawQuery(), request.pathVariables()),
                MediaType.ALL);
    }

    /**
     * A GET answered in JSON, or as a {@code document} (an invoice's PDF) streamed through when the caller's
     * Accept names that type itself: a wildcard keeps JSON, so clients that accept anything see no change.
     */
    public HandlerFunction<ServerResponse> jsonOr(MediaType document, String base, String template) {
        HandlerFunction<ServerResponse> json = to(HttpMethod.GET, base, template);
        return request -> request.headers().accept().stream().anyMatch(document::equalsTypeAndSubtype)
                ? upstream.stream(
                        request,
                        Upstream.uri(base, template, request.uri().getRawQuery(), request.pathVariables()),
                        document)
                : json.handle(request);
    }
}
