package dev.crownest.gateway.tenant;

import dev.crownest.contracts.api.CreateKeyRequest;
import dev.crownest.contracts.api.KeyView;
import dev.crownest.contracts.event.KeyEvent;
import dev.crownest.gateway.GatewayProperties;
import dev.crownest.gateway.key.ApiKeyAuthentication;
import dev.crownest.gateway.key.ApiKeyCache;
import dev.crownest.gateway.key.ApiKeyGrant;
import dev.crownest.gateway.key.SecretHash;
import dev.crownest.gateway.key.Secrets;
import dev.crownest.gateway.upstream.JsonBodies;
import dev.crownest.gateway.upstream.Upstream;
import dev.crownest.gateway.upstream.UpstreamAnswer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * {@code /v1/keys} (a tenant admin's): issues a key whose secret is made here and shown once
 * (sandbox-service gets only its hash), lists keys, revokes one. This gateway applies its own
 * creations and revocations at once; every other gateway learns them from {@code key-events}.
 */
@Component
public class KeyHandler {

    private final Upstream upstream;
    private final JsonBodies bodies;
    private final ApiKeyCache keys;
    private final Clock clock;
    private final String sandboxService;

    public KeyHandler(
            Upstream upstream, JsonBodies bodies, ApiKeyCache keys, Clock clock, GatewayProperties properties) {
        this.upstream = upstream;
        this.bodies = bodies;
        this.keys = keys;
        this.clock = clock;
        this.sandboxService = properties.sandboxServiceUrl();
    }

    public Mono<ServerResponse> create(ServerRequest request) {
        return bodies.read(request, CreateKeyRequest.class).flatMap(body -> {
            String secret = Secrets.apiKey();
            String hash = SecretHash.of(secret);
            Map<String, Object> internal = new LinkedHashMap<>();
            internal.put("name", body.name());
            internal.put("scopes", body.scopes());
            internal.put("projectId", body.projectId());
            internal.put("secretHash", hash);
            return upstream.call(
                            request,
                            HttpMethod.POST,
                            Upstream.uri(sandboxService, "/internal/keys", null),
                            internal,
                            h -> {})
                    .flatMap(answer -> {
                        if (answer.isError()) {
                            return upstream.respond(request, answer);
                        }
                        KeyView key = read(answer);
                        String tenantId = ApiKeyAuthentication.grant(request).tenantId();
                        keys.apply(new KeyEvent.ApiKeyCreated(
                                UUID.randomUUID(),
                                tenantId,
                                clock.instant(),
                                1,
                                key.id(),
                                key.name(),
                                key.scopes(),
                                key.projectId(),
                                hash,
                                key.createdBy()));
                        return ServerResponse.status(HttpStatus.CREATED)
                                .contentType(MediaType.APPLICATION_JSON)
                                .bodyValue(new KeyView(
                                        key.id(),
                                        key.name(),
                                        key.scopes(),
                                        key.projectId(),
                                        key.status(),
                                        key.createdAt(),
                                        key.revokedAt(),
                                        key.createdBy(),
                                        secret));
                    });
        });
    }

    public Mono<ServerResponse> list(ServerRequest request) {
        return upstream.forward(
                request,
                HttpMethod.GET,
                Upstream.uri(sandboxService, "/internal/keys", request.uri().getRawQuery()),
                null);
    }

    public Mono<ServerResponse> get(ServerRequest request) {
        return upstream.forward(
                request,
                HttpMethod.GET,
                Upstream.uri(sandboxService, "/internal/keys/{id}", null, request.pathVariable("id")),
                null);
    }

    public Mono<ServerResponse> revoke(ServerRequest request) {
        String keyId = request.pathVariable("id");
        ApiKeyGrant admin = ApiKeyAuthentication.grant(request);
        return upstream.call(
                        request,
                        HttpMethod.DELETE,
                        Upstream.uri(sandboxService, "/internal/keys/{id}", null, keyId),
                        null,
                        h -> {})
                .flatMap(answer -> {
                    if (!answer.isError()) {
                        keys.apply(new KeyEvent.ApiKeyRevoked(
                                UUID.randomUUID(), admin.tenantId(), clock.instant(), 1, keyId, admin.keyId()));
                    }
                    return upstream.respond(request, answer);
                });
    }

    private KeyView read(UpstreamAnswer answer) {
        try {
            return upstream.read(answer, KeyView.class);
        } catch (IOException e) {
            throw new UncheckedIOException("sandbox-service answered what is not a key", e);
        }
    }
}
