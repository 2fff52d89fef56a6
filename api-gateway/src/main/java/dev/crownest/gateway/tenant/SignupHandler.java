package dev.crownest.gateway.tenant;

import dev.crownest.contracts.api.ApiException;
import dev.crownest.contracts.api.SignupRequest;
import dev.crownest.contracts.api.SignupView;
import dev.crownest.contracts.security.Scopes;
import dev.crownest.gateway.GatewayProperties;
import dev.crownest.gateway.key.ApiKeyAuthentication;
import dev.crownest.gateway.key.ApiKeyCache;
import dev.crownest.gateway.key.ApiKeyGrant;
import dev.crownest.gateway.key.SecretHash;
import dev.crownest.gateway.key.Secrets;
import dev.crownest.gateway.key.TenantAdminSessions;
import dev.crownest.gateway.ratelimit.SignupLimit;
import dev.crownest.gateway.upstream.JsonBodies;
import dev.crownest.gateway.upstream.Upstream;
import dev.crownest.gateway.upstream.UpstreamAnswer;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * {@code POST /v1/signup}: no credential, limited per source address ({@link SignupLimit}). The admin token
 * and the API key are made here and shown once in the answer; sandbox-service gets their hashes, and this
 * gateway knows both at once (every other from {@code key-events} or a credential lookup). Nothing of
 * the secrets is logged, stored or kept for an Idempotency-Key (a request without a credential has none).
 */
@Component
public class SignupHandler {
    static final String ACTOR = "system:signup";

    private final Upstream upstream;
    private final JsonBodies bodies;
    private final SignupLimit limit;
    private final ApiKeyCache keys;
    private final TenantAdminSessions sessions;
    private final String sandboxService;

    public SignupHandler(
            Upstream upstream,
            JsonBodies bodies,
            SignupLimit limit,
            ApiKeyCache keys,
            TenantAdminSessions sessions,
            GatewayProperties properties) {
        this.upstream = upstream;
        this.bodies = bodies;
        this.limit = limit;
        this.keys = keys;
        this.sessions = sessions;
        this.sandboxService = properties.sandboxServiceUrl();
    }

    public Mono<ServerResponse> signUp(ServerRequest request) {
        return limit.take(request)
                .then(bodies.read(request, SignupRequest.class))
                .flatMap(body -> {
                    // presence here, so a body without them never reaches a service; sandbox-service checks the rest
                    if (body.name() == null || body.name().isBlank()) {
                        return Mono.error(ApiException.badRequest("invalid_name", "name is required"));
                    }
                    if (body.email() == null || body.email().isBlank()) {
                        return Mono.error(ApiException.badRequest("invalid_email", "email is required"));
                    }
                    String token = Secrets.adminToken();
                    String apiKey = Secrets.apiKey();
                    String tokenHash = SecretHash.of(token);
                    String keyHash = SecretHash.of(apiKey);
                    Map<String, Object> internal = new LinkedHashMap<>();
                    internal.put("name", body.name());
                    internal.put("email", body.email());
                    internal.put("adminTokenHash", tokenHash);
                    internal.put("apiKeyHash", keyHash);
                    ApiKeyAuthentication.actAsPublic(request, ACTOR);
                    return upstream.call(
                                    request,
                                    HttpMethod.POST,
                                    Upstream.uri(sandboxService, "/internal/signup", null),
                                    internal,
                                    h -> {})
                            .flatMap(answer -> {
                                if (answer.isError()) {
                                    return upstream.respond(request, answer);
                                }
                                SignupView tenant = read(answer);
                                // Both secrets work at this gateway from the answer on.
                                sessions.learn(new TenantAdminSessions.AdminSession(
                                        tenant.adminSessionId(), tenant.tenantId(), tokenHash));
                                keys.learn(new ApiKeyGrant(
                                        tenant.apiKeyId(), tenant.tenantId(), Set.copyOf(Scopes.ALL), null, keyHash));
                                return ServerResponse.status(HttpStatus.CREATED)
                                        .contentType(MediaType.APPLICATION_JSON)
                                        .bodyValue(tenant.withSecrets(token, apiKey));
                            });
                });
    }

    /** The tenant sandbox-service made; an answer without its ids is a service fault, answered 503 like one away. */
    private SignupView read(UpstreamAnswer answer) {
        try {
            SignupView view = upstream.read(answer, SignupView.class);
            if (view.tenantId() != null && view.adminSessionId() != null && view.apiKeyId() != null) {
                return view;
            }
        } catch (IOException e) {
            // the same answer as an incomplete one, below
        }
        throw ApiException.unavailable(
                "upstream_unavailable", "a service behind the gateway is unavailable, retry shortly");
    }
}
