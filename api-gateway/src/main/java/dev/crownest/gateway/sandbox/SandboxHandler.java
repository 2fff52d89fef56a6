package dev.crownest.gateway.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crownest.contracts.api.CreateSandboxRequest;
import dev.crownest.contracts.api.ExtendTtlRequest;
import dev.crownest.contracts.api.ResumeRequest;
import dev.crownest.gateway.GatewayProperties;
import dev.crownest.gateway.key.ApiKeyAuthentication;
import dev.crownest.gateway.key.ApiKeyGrant;
import dev.crownest.gateway.upstream.JsonBodies;
import dev.crownest.gateway.upstream.Upstream;
import dev.crownest.gateway.upstream.UpstreamAnswer;
import java.io.IOException;
import java.net.URI;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * {@code /v1/sandboxes[/{id}]}: create, list, read, kill, pause, resume and TTL, answered by sandbox-service.
 * Single reads come from the {@link SandboxReadCache} when it holds the sandbox; every answer of a read
 * or a change of one sandbox refreshes it.
 */
@Component
public class SandboxHandler {

    private final Upstream upstream;
    private final JsonBodies bodies;
    private final String sandboxService;
    private final SandboxReadCache cache;
    private final ObjectMapper json;

    public SandboxHandler(
            Upstream upstream,
            JsonBodies bodies,
            GatewayProperties properties,
            SandboxReadCache cache,
            ObjectMapper json) {
        this.upstream = upstream;
        this.bodies = bodies;
        this.sandboxService = properties.sandboxServiceUrl();
        this.cache = cache;
        this.json = json;
    }

    public Mono<ServerResponse> create(ServerRequest request) {
        long ticket = cache.ticket();
        return bodies.read(request, CreateSandboxRequest.class)
                .flatMap(body -> upstream.call(
                        request,
                        HttpMethod.POST,
                        Upstream.uri(sandboxService, "/internal/sandboxes", null),
                        body,
                        headers -> {}))
                .flatMap(answer -> {
                    SandboxReadCache.Entry entry = entry(request, answer, null);
                    if (entry != null) {
                        cache.storeOwnWrite(entry.sandboxId(), ticket, entry);
                    }
                    return upstream.respond(request, answer);
                });
    }

    public Mono<ServerResponse> list(ServerRequest request) {
        return upstream.forward(
                request,
                HttpMethod.GET,
                Upstream.uri(
                        sandboxService, "/internal/sandboxes", request.uri().getRawQuery()),
                null);
    }

    public Mono<ServerResponse> get(ServerRequest request) {
        String id = request.pathVariable("id");
        ApiKeyGrant grant = ApiKeyAuthentication.grant(request);
        SandboxReadCache.Entry cached = cache.find(id, grant.tenantId(), grant.projectId());
        if (cached != null) {
            return ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).bodyValue(cached.body());
        }
        return read(request, id).flatMap(answer -> upstream.respond(request, answer));
    }

    /**
     * Sandbox {@code id} as the request's key sees it (sandbox-service's answer, a 404 for another
     * tenant's or project's): from the cache when it holds it, else read once and cached.
     */
    public Mono<UpstreamAnswer> view(ServerRequest request, String id) {
        ApiKeyGrant grant = ApiKeyAuthentication.grant(request);
        SandboxReadCache.Entry cached = cache.find(id, grant.tenantId(), grant.projectId());
        return cached != null
                ? Mono.just(new UpstreamAnswer(HttpStatus.OK, MediaType.APPLICATION_JSON, cached.body()))
                : read(request, id);
    }

    private Mono<UpstreamAnswer> read(ServerRequest request, String id) {
        long ticket = cache.ticket();
        return upstream.call(
                        request,
                        HttpMethod.GET,
                        Upstream.uri(sandboxService, "/internal/sandboxes/{id}", null, id),
                        null,
                        headers -> {})
                .doOnNext(answer -> {
                    SandboxReadCache.Entry entry = entry(request, answer, id);
                    if (entry != null) {
                        cache.storeRead(id, ticket, entry);
                    }
                });
    }

    public Mono<ServerResponse> pause(ServerRequest request) {
        return change(request, HttpMethod.POST, "/internal/sandboxes/{id}/pause", null);
    }

    /** The body is optional: {@code {"snapshotId"}} resumes only if the sandbox is paused at that snapshot. */
    public Mono<ServerResponse> resume(ServerRequest request) {
        return bodies.read(request, ResumeRequest.class)
                .flatMap(body -> change(request, HttpMethod.POST, "/internal/sandboxes/{id}/resume", body));
    }

    public Mono<ServerResponse> extendTtl(ServerRequest request) {
        return bodies.read(request, ExtendTtlRequest.class)
                .flatMap(body -> change(request, HttpMethod.POST, "/internal/sandboxes/{id}/ttl", body));
    }

    public Mono<ServerResponse> kill(ServerRequest request) {
        return change(request, HttpMethod.DELETE, "/internal/sandboxes/{id}", null);
    }

    /**
     * A change of one sandbox: its answer becomes the cached entry at once (the caller reads its own
     * write), or the entry is dropped when the answer carries no view (an error, a 202 still working).
     */
    private Mono<ServerResponse> change(ServerRequest request, HttpMethod method, String template, Object body) {
        String id = request.pathVariable("id");
        URI uri = Upstream.uri(sandboxService, template, null, id);
        long ticket = cache.ticket();
        return upstream.call(request, method, uri, body, headers -> {})
                .flatMap(answer -> {
                    cache.storeOwnWrite(id, ticket, entry(request, answer, id));
                    return upstream.respond(request, answer);
                })
                // the change may have been made even though no answer came back: read it afresh next time
                .doOnError(failure -> cache.storeOwnWrite(id, ticket, null))
                .doOnCancel(() -> cache.storeOwnWrite(id, ticket, null));
    }

    /** The answer as a cache entry when it is a 200 or 201 with a sandbox's view (of {@code id} if not null), else null. */
    private SandboxReadCache.Entry entry(ServerRequest request, UpstreamAnswer answer, String id) {
        int status = answer.status().value();
        if (status != HttpStatus.OK.value() && status != HttpStatus.CREATED.value()
                || answer.body().length == 0
                || answer.contentType() == null
                || !MediaType.APPLICATION_JSON.isCompatibleWith(answer.contentType())) {
            return null;
        }
        try {
            JsonNode view = json.readTree(answer.body());
            String viewId = view.path("id").isTextual() ? view.path("id").asText() : null;
            if (viewId == null || (id != null && !id.equals(viewId))) {
                return null;
            }
            String projectId =
                    view.path("projectId").isTextual() ? view.path("projectId").asText() : null;
            return new SandboxReadCache.Entry(
                    viewId, ApiKeyAuthentication.grant(request).tenantId(), projectId, answer.body());
        } catch (IOException notJson) {
            return null;
        }
    }
}
