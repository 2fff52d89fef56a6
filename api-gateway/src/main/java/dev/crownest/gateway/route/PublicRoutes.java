package dev.crownest.gateway.route;

import dev.crownest.contracts.security.Scopes;
import dev.crownest.gateway.audit.AuditHandler;
import dev.crownest.gateway.command.CommandHandler;
import dev.crownest.gateway.key.ApiKeyAuthentication;
import dev.crownest.gateway.sandbox.SandboxHandler;
import dev.crownest.gateway.usage.UsageHandler;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

import java.util.List;

import static org.springframework.http.HttpMethod.DELETE;
import static org.springframework.http.HttpMethod.GET;
import static org.springframework.http.HttpMethod.POST;

/**
 * The public tenant API: one table of routes with the scope each needs, all behind API key
 * authentication, and a fallback that answers unknown routes (404) and wrong methods (405).
 */
@Configuration(proxyBeanMethods = false)
class PublicRoutes {

    @Bean
    List<ApiRoute> tenantRoutes(SandboxHandler sandboxes, CommandHandler commands, UsageHandler usage, AuditHandler audit) {
        return List.of(
                new ApiRoute(POST, "/v1/sandboxes", Scopes.SANDBOXES_CREATE, sandboxes::create),
                new ApiRoute(GET, "/v1/sandboxes", Scopes.SANDBOXES_READ, sandboxes::list),
                new ApiRoute(GET, "/v1/sandboxes/{id}", Scopes.SANDBOXES_READ, sandboxes::get),
                new ApiRoute(DELETE, "/v1/sandboxes/{id}", Scopes.SANDBOXES_KILL, sandboxes::kill),
                new ApiRoute(POST, "/v1/sandboxes/{id}/commands", Scopes.COMMANDS_RUN, commands::run),
                new ApiRoute(GET, "/v1/sandboxes/{id}/commands", Scopes.COMMANDS_READ, commands::list),
                new ApiRoute(GET, "/v1/sandboxes/{id}/commands/{cid}", Scopes.COMMANDS_READ, commands::get),
                new ApiRoute(GET, "/v1/usage", Scopes.USAGE_READ, usage::usage),
                new ApiRoute(GET, "/v1/audit/events", Scopes.AUDIT_READ, audit::events),
                new ApiRoute(GET, "/v1/audit/verify", Scopes.AUDIT_READ, audit::verify));
    }

    @Bean
    RouterFunction<ServerResponse> publicApi(List<ApiRoute> tenantRoutes, ApiKeyAuthentication authentication) {
        RouterFunctions.Builder api = RouterFunctions.route();
        for (ApiRoute route : tenantRoutes) {
            api.route(RequestPredicates.method(route.method()).and(RequestPredicates.path(route.pattern())),
                    ApiKeyAuthentication.requires(route.scope(), route.handler()));
        }
        return api.filter(authentication).build()
                .and(RouterFunctions.route(RequestPredicates.all(), new UnmatchedRoute(tenantRoutes)));
    }
}
