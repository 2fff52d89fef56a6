package dev.crownest.gateway.key;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * {@code GET /v1/me}: who the presented credential is, so that a client (the console) shows what it may
 * do without trying. Answered from what authentication already learnt; never a secret or its hash.
 */
@Component
public class CallerHandler {
    static final String API_KEY = "api_key";
    static final String TENANT_ADMIN = "tenant_admin";

    /** For an API key: its id, tenant, project and scopes. */
    public Mono<ServerResponse> key(ServerRequest request) {
        ApiKeyGrant grant = ApiKeyAuthentication.grant(request);
        return answer(API_KEY, grant, grant.scopes().stream().sorted().toList());
    }

    /** For a session: the operator's (no tenant unless {@code ?tenantId=}) or a tenant admin's. */
    public Mono<ServerResponse> session(ServerRequest request) {
        ApiKeyGrant grant = ApiKeyAuthentication.grant(request);
        boolean operator = OperatorAuthentication.OPERATOR.equals(grant.keyId());
        return answer(operator ? OperatorAuthentication.OPERATOR : TENANT_ADMIN, grant, List.of());
    }

    private static Mono<ServerResponse> answer(String kind, ApiKeyGrant grant, List<String> scopes) {
        Map<String, Object> me = new LinkedHashMap<>();
        me.put("kind", kind);
        // a key acts within scopes; a session's role says what administration it may do
        me.put("role", API_KEY.equals(kind) ? null : kind);
        me.put("tenantId", grant.tenantId());
        me.put("keyId", API_KEY.equals(kind) ? grant.keyId() : null);
        me.put("sessionId", TENANT_ADMIN.equals(kind) ? grant.keyId() : null);
        me.put("projectId", grant.projectId());
        me.put("scopes", scopes);
        return ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).bodyValue(me);
    }
}
