package dev.crownest.gateway.usage;

import dev.crownest.gateway.GatewayProperties;
import dev.crownest.gateway.route.Upstream;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/** {@code GET /v1/usage}: metered compute, answered by metering-service with the caller's filters. */
@Component
public class UsageHandler {

    private final Upstream upstream;
    private final String metering;

    public UsageHandler(Upstream upstream, GatewayProperties properties) {
        this.upstream = upstream;
        this.metering = properties.meteringUrl();
    }

    public Mono<ServerResponse> usage(ServerRequest request) {
        return upstream.forward(request, HttpMethod.GET,
                Upstream.uri(metering, "/internal/usage", request.uri().getRawQuery()), null);
    }
}
