package dev.crownest.gateway.route;

import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * One public tenant route: method, path pattern, the scope a key needs for it, and its handler.
 */
public record ApiRoute(HttpMethod method, String pattern, String scope, HandlerFunction<ServerResponse> handler) {}
