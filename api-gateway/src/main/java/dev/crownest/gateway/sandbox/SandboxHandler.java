package dev.crownest.gateway.sandbox;

import dev.crownest.contracts.api.CreateSandboxRequest;
import dev.crownest.contracts.api.ExtendTtlRequest;
import dev.crownest.gateway.GatewayProperties;
import dev.crownest.gateway.route.JsonBodies;
import dev.crownest.gateway.route.Upstream;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/** {@code /v1/sandboxes[/{id}]}: create, list, read, kill, pause, resume and TTL, answered by sandbox-service. */
@Component
public class SandboxHandler {

    private final Upstream upstream;
    private final JsonBodies bodies;
    private final String sandboxService;

    public SandboxHandler(Upstream upstream, JsonBodies bodies, GatewayProperties properties) {
        this.upstream = upstream;
        this.bodies = bodies;
        this.sandboxService = properties.sandboxServiceUrl();
    }

    public Mono<ServerResponse> create(ServerRequest request) {
        return bodies.read(request, CreateSandboxRequest.class)
                .flatMap(body -> upstream.forward(request, HttpMethod.POST,
                        Upstream.uri(sandboxService, "/internal/sandboxes", null), body));
    }

    public Mono<ServerResponse> list(ServerRequest request) {
        return upstream.forward(request, HttpMethod.GET,
                Upstream.uri(sandboxService, "/internal/sandboxes", request.uri().getRawQuery()), null);
    }

    public Mono<ServerResponse> get(ServerRequest request) {
        return upstream.forward(request, HttpMethod.GET,
                Upstream.uri(sandboxService, "/internal/sandboxes/{id}", null, request.pathVariable("id")), null);
    }

    public Mono<ServerResponse> pause(ServerRequest request) {
        return upstream.forward(request, HttpMethod.POST,
                Upstream.uri(sandboxService, "/internal/sandboxes/{id}/pause", null, request.pathVariable("id")), null);
    }

    public Mono<ServerResponse> resume(ServerRequest request) {
        return upstream.forward(request, HttpMethod.POST,
                Upstream.uri(sandboxService, "/internal/sandboxes/{id}/resume", null, request.pathVariable("id")), null);
    }

    public Mono<ServerResponse> extendTtl(ServerRequest request) {
        return bodies.read(request, ExtendTtlRequest.class)
                .flatMap(body -> upstream.forward(request, HttpMethod.POST,
                        Upstream.uri(sandboxService, "/internal/sandboxes/{id}/ttl", null, request.pathVariable("id")), body));
    }

    public Mono<ServerResponse> kill(ServerRequest request) {
        return upstream.forward(request, HttpMethod.DELETE,
                Upstream.uri(sandboxService, "/internal/sandboxes/{id}", null, request.pathVariable("id")), null);
    }
}
