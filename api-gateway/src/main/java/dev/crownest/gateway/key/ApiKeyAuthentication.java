package dev.crownest.gateway.key;

import dev.crownest.contracts.api.ApiException;
import java.util.Set;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.HandlerFilterFunction;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * Authenticates tenant routes by {@code x-api-key} (or, on a browser's WebSocket, {@link SocketKey}) and
 * checks scopes. Session tokens are for administration only: a caller presenting just a bearer token is
 * refused here.
 */
@Component
public class ApiKeyAuthentication implements HandlerFilterFunction<ServerResponse, ServerResponse> {

    public static final String API_KEY_HEADER = "x-api-key";
    private static final String GRANT = ApiKeyGrant.class.getName();

    private final ApiKeyCache keys;
    private final CredentialLookup lookup;
    private final SuspendedTenants suspended;

    public ApiKeyAuthentication(ApiKeyCache keys, CredentialLookup lookup, SuspendedTenants suspended) {
        this.keys = keys;
        this.lookup = lookup;
        this.suspended = suspended;
    }

    @Override
    public Mono<ServerResponse> filter(ServerRequest request, HandlerFunction<ServerResponse> next) {
        String key = request.headers().firstHeader(API_KEY_HEADER);
        if (key == null || key.isBlank()) {
            key = SocketKey.from(request); // a browser's WebSocket
        }
        if (key == null || key.isBlank()) {
            if (OperatorToken.bearerToken(request.headers().firstHeader(HttpHeaders.AUTHORIZATION)) != null) {
                return Mono.error(ApiException.unauthenticated(
                        "api_key_required",
                        "tenant routes take an API key in x-api-key; session tokens are for administration"));
            }
            return Mono.error(
                    ApiException.unauthenticated("missing_api_key", "send your API key in the x-api-key header"));
        }
        String presented = key.trim();
        Mono<ApiKeyGrant> known = Mono.justOrEmpty(keys.find(presented));
        if (!keys.wasRevoked(presented)) {
            // Not met yet: a key made at another gateway, or before this one started.
            known = known.switchIfEmpty(Mono.defer(
                    () -> lookup.key(SecretHash.of(presented)).flatMap(g -> Mono.justOrEmpty(keys.learn(g)))));
        }
        return known.switchIfEmpty(Mono.error(() -> keys.wasRevoked(presented)
                        ? ApiException.unauthenticated("key_revoked", "the API key was revoked")
                        : ApiException.unauthenticated("invalid_api_key", "the API key is unknown or revoked")))
                .flatMap(grant -> {
                    if (suspended.isSuspended(grant.tenantId())) {
                        return Mono.error(SuspendedTenants.refusal());
                    }
                    actAs(request, grant);
                    return next.handle(request);
                });
    }

    /** Wraps a handler so that it runs only for a key holding {@code scope}; null: any valid key. */
    public static HandlerFunction<ServerResponse> requires(String scope, HandlerFunction<ServerResponse> handler) {
        return request -> scope == null || grant(request).allows(scope)
                ? handler.handle(request)
                : Mono.error(new ApiException(
                        HttpStatus.FORBIDDEN.value(), "permission", "missing_scope", "this key lacks scope " + scope));
    }

    /** Makes a request act as {@code grant} downstream (the operator's filter uses it too). */
    static void actAs(ServerRequest request, ApiKeyGrant grant) {
        request.attributes().put(GRANT, grant);
    }

    /**
     * Makes a route that takes no credential ({@code POST /v1/signup}) call services as {@code actor} for no
     * tenant, as the operator's platform routes do.
     */
    public static void actAsPublic(ServerRequest request, String actor) {
        actAs(request, new ApiKeyGrant(actor, null, Set.of(), null, null));
    }

    /** The grant of the authenticated key; only valid behind this filter. */
    public static ApiKeyGrant grant(ServerRequest request) {
        return (ApiKeyGrant) request.attribute(GRANT)
                .orElseThrow(() -> new IllegalStateException("route is not behind ApiKeyAuthentication"));
    }
}
