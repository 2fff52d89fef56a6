package dev.crownest.gateway.route;

import dev.crownest.contracts.api.ApiException;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.MethodNotAllowedException;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import reactor.core.publisher.Mono;

/**
 * Answers what no route matched: 405 with {@code Allow} when the path exists under another method,
 * 404 {@code route_not_found} otherwise.
 */
final class UnmatchedRoute implements HandlerFunction<ServerResponse> {

    private record Known(PathPattern pattern, HttpMethod method) {}

    private final List<Known> known;

    UnmatchedRoute(List<ApiRoute> routes) {
        this.known = routes.stream()
                .map(route -> new Known(PathPatternParser.defaultInstance.parse(route.pattern()), route.method()))
                .toList();
    }

    @Override
    public Mono<ServerResponse> handle(ServerRequest request) {
        Set<HttpMethod> allowed = known.stream()
                .filter(k -> k.pattern().matches(request.requestPath().pathWithinApplication()))
                .map(Known::method)
                .collect(Collectors.toSet());
        if (!allowed.isEmpty()) {
            return Mono.error(new MethodNotAllowedException(request.method(), allowed));
        }
        return Mono.error(new ApiException(
                HttpStatus.NOT_FOUND.value(),
                "not_found",
                "route_not_found",
                "no route " + request.method() + " " + request.path()));
    }
}
