package dev.crownest.gateway.audit;

import dev.crownest.gateway.GatewayProperties;
import dev.crownest.gateway.route.Upstream;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/** {@code GET /v1/audit/events} and {@code /v1/audit/verify}, answered by audit-service. */
@Component
public class AuditHandler {

    private final Upstream upstream;
    private final String audit;

    public AuditHandler(Upstream upstream, GatewayProperties properties) {
        this.upstream = upstream;
        this.audit = properties.auditUrl();
    }

    public Mono<ServerResponse> events(ServerRequest request) {
        return upstream.forward(request, HttpMethod.GET,
                Upstream.uri(audit, "/internal/audit/events", request.uri().getRawQuery()), null);
    }

    public Mono<ServerResponse> verify(ServerRequest request) {
        return upstream.forward(request, HttpMethod.GET,
                Upstream.uri(audit, "/internal/audit/verify", request.uri().getRawQuery()), null);
    }
}
