package dev.crownest.gateway.tenant;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crownest.contracts.api.CreateTenantRequest;
import dev.crownest.contracts.api.TenantView;
import dev.crownest.contracts.event.TenantEvent;
import dev.crownest.gateway.GatewayProperties;
import dev.crownest.gateway.key.SecretHash;
import dev.crownest.gateway.key.Secrets;
import dev.crownest.gateway.key.SuspendedTenants;
import dev.crownest.gateway.key.TenantAdminSessions;
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
 * {@code /v1/tenants} (the operator's): creates a tenant with a fresh admin token, opens or revokes
 * further admin sessions, suspends and unsuspends tenants (plans and the list are plain relays). The
 * token is made here and shown once; sandbox-service gets only its hash. This gateway learns sessions
 * and suspensions at once; every other gateway from {@code key-events}.
 */
@Component
public class TenantHandler {

    private final Upstream upstream;
    private final JsonBodies bodies;
    private final TenantAdminSessions sessions;
    private final SuspendedTenants suspended;
    private final Clock clock;
    private final String sandboxService;

    public TenantHandler(
            Upstream upstream,
            JsonBodies bodies,
            TenantAdminSessions sessions,
            SuspendedTenants suspended,
            Clock clock,
            GatewayProperties properties) {
        this.upstream = upstream;
        this.bodies = bodies;
        this.sessions = sessions;
        this.suspended = suspended;
        this.clock = clock;
        this.sandboxService = properties.sandboxServiceUrl();
    }

    public Mono<ServerResponse> create(ServerRequest request) {
        return bodies.read(request, CreateTenantRequest.class).flatMap(body -> {
            String token = Secrets.adminToken();
            String hash = SecretHash.of(token);
            Map<String, Object> internal = new LinkedHashMap<>();
            internal.put("name", body.name());
            internal.put("plan", body.plan());
            internal.put("adminTokenHash", hash);
            return upstream.call(
                            request,
                            HttpMethod.POST,
                            Upstream.uri(sandboxService, "/internal/tenants", null),
                            internal,
                            h -> {})
                    .flatMap(answer -> {
                        if (answer.isError()) {
                            return upstream.respond(request, answer);
                        }
                        TenantView tenant = read(answer, TenantView.class);
                        learn(tenant.id(), tenant.adminSessionId(), hash);
                        return ServerResponse.status(HttpStatus.CREATED)
                                .contentType(MediaType.APPLICATION_JSON)
                                .bodyValue(tenant.withAdminToken(token));
                    });
        });
    }

    /** Another admin token for a tenant: {@code {tenantId, sessionId, adminToken}}. */
    public Mono<ServerResponse> openSession(ServerRequest request) {
        String tenantId = request.pathVariable("id");
        String token = Secrets.adminToken();
        String hash = SecretHash.of(token);
        return upstream.call(
                        request,
                        HttpMethod.POST,
                        Upstream.uri(sandboxService, "/internal/tenants/{id}/admin-sessions", null, tenantId),
                        Map.of("tokenHash", hash),
                        h -> {})
                .flatMap(answer -> {
                    if (answer.isError()) {
                        return upstream.respond(request, answer);
                    }
                    String sessionId =
                            read(answer, JsonNode.class).path("sessionId").asText();
                    learn(tenantId, sessionId, hash);
                    return ServerResponse.status(HttpStatus.CREATED)
                            .contentType(MediaType.APPLICATION_JSON)
                            .bodyValue(Map.of("tenantId", tenantId, "sessionId", sessionId, "adminToken", token));
                });
    }

    /**
     * Suspends the tenant: this gateway refuses its keys and sessions from the answer on, every other from
     * {@code key-events} within a second; sandbox-service pauses its sandboxes.
     */
    public Mono<ServerResponse> suspend(ServerRequest request) {
        String tenantId = request.pathVariable("id");
        return bodies.read(request, JsonNode.class)
                .flatMap(body -> upstream.call(
                        request,
                        HttpMethod.POST,
                        Upstream.uri(sandboxService, "/internal/tenants/{id}/suspend", null, tenantId),
                        body,
                        h -> {}))
                .flatMap(answer -> {
                    if (!answer.isError()) {
                        suspended.apply(new TenantEvent.TenantSuspended(
                                UUID.randomUUID(), tenantId, clock.instant(), 1, null, "operator"));
                    }
                    return upstream.respond(request, answer);
                });
    }

    /** Ends a suspension: the tenant's keys and sessions work again here at once. */
    public Mono<ServerResponse> unsuspend(ServerRequest request) {
        String tenantId = request.pathVariable("id");
        return upstream.call(
                        request,
                        HttpMethod.POST,
                        Upstream.uri(sandboxService, "/internal/tenants/{id}/unsuspend", null, tenantId),
                        null,
                        h -> {})
                .flatMap(answer -> {
                    if (!answer.isError()) {
                        suspended.apply(new TenantEvent.TenantUnsuspended(
                                UUID.randomUUID(), tenantId, clock.instant(), 1, "operator"));
                    }
                    return upstream.respond(request, answer);
                });
    }

    public Mono<ServerResponse> revokeSession(ServerRequest request) {
        String tenantId = request.pathVariable("id");
        String sessionId = request.pathVariable("sessionId");
        return upstream.call(
                        request,
                        HttpMethod.DELETE,
                        Upstream.uri(
                                sandboxService,
                                "/internal/tenants/{id}/admin-sessions/{sid}",
                                null,
                                tenantId,
                                sessionId),
                        null,
                        h -> {})
                .flatMap(answer -> {
                    if (!answer.isError()) {
                        sessions.apply(new TenantEvent.TenantAdminSessionRevoked(
                                UUID.randomUUID(), tenantId, clock.instant(), 1, sessionId, "operator"));
                    }
                    return upstream.respond(request, answer);
                });
    }

    /** This gateway knows the session before the event comes back over Kafka: the token works at once. */
    private void learn(String tenantId, String sessionId, String hash) {
        sessions.apply(new TenantEvent.TenantAdminSessionOpened(
                UUID.randomUUID(), tenantId, clock.instant(), 1, sessionId, hash, "operator"));
    }

    private <T> T read(UpstreamAnswer answer, Class<T> type) {
        try {
            return upstream.read(answer, type);
        } catch (IOException e) {
            throw new UncheckedIOException("sandbox-service answered what is not a tenant", e);
        }
    }
}
