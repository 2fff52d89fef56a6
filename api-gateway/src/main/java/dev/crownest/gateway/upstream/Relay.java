package dev.crownest.gateway.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
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
        return streaming(base, template, MediaType.ALL);
    }

    private HandlerFunction<ServerResponse> streaming(String base, String template, MediaType accept) {
        return request -> upstream.stream(
                request, Upstream.uri(base, template, request.uri().getRawQuery(), request.pathVariables()), accept);
    }

    /**
     * A GET answered in JSON, or as one of the {@code documents} (an invoice's PDF or CSV) streamed through
     * when the caller's Accept names that type itself: a wildcard keeps JSON, so clients that accept
     * anything see no change.
     */
    public HandlerFunction<ServerResponse> jsonOr(List<MediaType> documents, String base, String template) {
        HandlerFunction<ServerResponse> json = to(HttpMethod.GET, base, template);
        return request -> {
            List<MediaType> accepted = request.headers().accept();
            return documents.stream()
                    .filter(document -> accepted.stream().anyMatch(document::equalsTypeAndSubtype))
                    .findFirst()
                    .map(document -> streaming(base, template, document))
                    .orElse(json)
                    .handle(request);
        };
    }
}
