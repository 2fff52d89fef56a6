package dev.crownest.gateway.key;

import dev.crownest.gateway.error.GatewayException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.HandlerFilterFunction;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

import java.util.Set;

/**
 * Authenticates administration routes by the operator's session token. An API key is refused
 * outright (keys never administer). The operator acts on the tenant named by {@code ?tenantId=},
 * with {@code operator} as the actor downstream.
 */
@Component
public class OperatorAuthentication implements HandlerFilterFunction<ServerResponse, ServerResponse> {
    public static final String OPERATOR = "operator";

    private final OperatorToken operator;

    public OperatorAuthentication(OperatorToken operator) {
        this.operator = operator;
    }

    @Override
    public Mono<ServerResponse> filter(ServerRequest request, HandlerFunction<ServerResponse> next) {
        String authorization = request.headers().firstHeader(HttpHeaders.AUTHORIZATION);
        if (authorization == null && request.headers().firstHeader(ApiKeyAuthentication.API_KEY_HEADER) != null) {
            return Mono.error(new GatewayException(HttpStatus.FORBIDDEN, "permission", "session_required",
                    "administration takes an operator session (Authorization: Bearer), never an API key"));
        }
        if (!operator.isOperator(authorization)) {
            return Mono.error(GatewayException.authentication("invalid_session", "the session token is missing or invalid"));
        }
        String tenantId = request.queryParam("tenantId").filter(t -> !t.isBlank()).orElse(null);
        if (tenantId == null) {
            return Mono.error(GatewayException.invalidRequest("tenant_required", "name the tenant with ?tenantId="));
        }
        ApiKeyAuthentication.actAs(request, new ApiKeyGrant(OPERATOR, tenantId, Set.of(), null, null));
        return next.handle(request);
    }
}
