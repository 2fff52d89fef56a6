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
 * Authenticates administration routes by session token ({@code Authorization: Bearer}): the platform
 * operator's, or a tenant admin's. An API key is refused outright (keys never administer, and keys
 * cannot mint keys). The operator acts on the tenant named by {@code ?tenantId=}, with
 * {@code operator} as the actor downstream; a tenant admin acts on its own tenant, with its session
 * id as the actor. What each route admits is its access column, checked by {@link #admits}.
 */
@Component
public class OperatorAuthentication implements HandlerFilterFunction<ServerResponse, ServerResponse> {
    public static final String OPERATOR = "operator";
    /** Access of a platform route: the operator only, acting on no particular tenant (e.g. creating one). */
    public static final String PLATFORM = "session:platform";
    /** Access of a tenant administration route: the tenant's admin, or the operator with {@code ?tenantId=}. */
    public static final String TENANT_ADMIN = "session:tenant-admin";
    /** Access of a route about the session itself ({@code GET /v1/me}): any session, the operator's with no tenant. */
    public static final String ANY_SESSION = "session:any";
    // (null access: the operator only, acting on ?tenantId=)

    private final OperatorToken operator;
    private final TenantAdminSessions sessions;

    private final CredentialLookup lookup;
    private final SuspendedTenants suspended;

    public OperatorAuthentication(
            OperatorToken operator, TenantAdminSessions sessions, CredentialLookup lookup, SuspendedTenants suspended) {
        this.operator = operator;
        this.sessions = sessions;
        this.lookup = lookup;
        this.suspended = suspended;
    }

    @Override
    public Mono<ServerResponse> filter(ServerRequest request, HandlerFunction<ServerResponse> next) {
        if (request.headers().firstHeader(ApiKeyAuthentication.API_KEY_HEADER) != null) {
            return Mono.error(
                    request.path().startsWith("/v1/keys")
                            ? new ApiException(
                                    HttpStatus.FORBIDDEN.value(),
                                    "permission",
                                    "keys_cannot_mint_keys",
                                    "keys cannot mint keys: key management takes a tenant admin session (Authorization: Bearer), never an API key")
                            : new ApiException(
                                    HttpStatus.FORBIDDEN.value(),
                                    "permission",
                                    "session_required",
                                    "administration takes a session (Authorization: Bearer), never an API key"));
        }
        String authorization = request.headers().firstHeader(HttpHeaders.AUTHORIZATION);
        String tenantId =
                request.queryParam("tenantId").filter(t -> !t.isBlank()).orElse(null);
        if (operator.isOperator(authorization)) {
            ApiKeyAuthentication.actAs(request, new ApiKeyGrant(OPERATOR, tenantId, Set.of(), null, null));
            return next.handle(request);
        }
        String token = OperatorToken.bearerToken(authorization);
        if (token == null) {
            return Mono.error(
                    ApiException.unauthenticated("invalid_session", "the session token is missing or invalid"));
        }
        // Not met yet: a session opened at another gateway, or before this one started.
        return Mono.justOrEmpty(sessions.find(token))
                .switchIfEmpty(Mono.defer(
                        () -> lookup.session(SecretHash.of(token)).flatMap(s -> Mono.justOrEmpty(sessions.learn(s)))))
                .switchIfEmpty(Mono.error(() ->
                        ApiException.unauthenticated("invalid_session", "the session token is missing or invalid")))
                .flatMap(session -> {
                    if (tenantId != null && !tenantId.equals(session.tenantId())) {
                        // Another tenant is invisible to a tenant admin, as to its keys.
                        return Mono.error(new ApiException(
                                HttpStatus.NOT_FOUND.value(),
                                "not_found",
                                "tenant_not_found",
                                "no tenant " + tenantId));
                    }
                    if (suspended.isSuspended(session.tenantId())) {
                        return Mono.error(SuspendedTenants.refusal());
                    }
                    ApiKeyAuthentication.actAs(
                            request, new ApiKeyGrant(session.sessionId(), session.tenantId(), Set.of(), null, null));
                    return next.handle(request);
                });
    }

    /** Wraps an administration handler so that it runs only for the sessions its {@code access} admits. */
    public static HandlerFunction<ServerResponse> admits(String access, HandlerFunction<ServerResponse> handler) {
        return request -> {
            ApiKeyGrant grant = ApiKeyAuthentication.grant(request);
            boolean isOperator = OPERATOR.equals(grant.keyId());
            if (!isOperator && !TENANT_ADMIN.equals(access) && !ANY_SESSION.equals(access)) {
                return Mono.error(new ApiException(
                        HttpStatus.FORBIDDEN.value(),
                        "permission",
                        "operator_required",
                        "only the platform operator may do this"));
            }
            if (isOperator && !PLATFORM.equals(access) && !ANY_SESSION.equals(access) && grant.tenantId() == null) {
                return Mono.error(ApiException.badRequest("tenant_required", "name the tenant with ?tenantId="));
            }
            return handler.handle(request);
        };
    }
}
