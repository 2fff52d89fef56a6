package dev.crownest.gateway.mcp;

import static dev.crownest.gateway.key.ApiKeyAuthentication.API_KEY_HEADER;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crownest.gateway.key.ApiKeyAuthentication;
import dev.crownest.gateway.key.OperatorToken;
import dev.crownest.gateway.ratelimit.KeyRateLimits;
import dev.crownest.gateway.upstream.JsonBodies;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpStatelessAsyncServer;
import io.modelcontextprotocol.spec.McpSchema;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.server.HandlerFilterFunction;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.MethodNotAllowedException;
import reactor.core.publisher.Mono;

/**
 * {@code /v1/mcp}: the Model Context Protocol over Streamable HTTP (stateless), for agents' MCP clients. The
 * official MCP Java SDK does the protocol; {@link WebFluxStatelessTransport} carries it. A request needs a
 * valid API key, in {@code x-api-key} or as {@code Authorization: Bearer <key>} (what MCP clients send), and
 * counts against the key's rate like any route; each tool then needs its route's scope ({@link McpToolRoutes}).
 */
@Configuration(proxyBeanMethods = false)
public class McpEndpoint {
    public static final String PATH = "/v1/mcp";

    @Bean
    WebFluxStatelessTransport mcpTransport(ObjectMapper json, JsonBodies bodies) {
        // an MCP message is a JSON body like any other: crownest.gateway.max-body-size bounds it (and so write_file)
        return new WebFluxStatelessTransport(new JacksonMcpJsonMapper(json), bodies);
    }

    @Bean(destroyMethod = "close")
    McpStatelessAsyncServer mcpServer(WebFluxStatelessTransport transport, ObjectMapper json, List<McpToolSet> sets) {
        return McpServer.async(transport)
                .serverInfo("crownest", "v1")
                .instructions("CrowNest sandboxes: create_sandbox first, then run commands, code and files in it "
                        + "by its sandbox_id; terminate_sandbox when done.")
                .capabilities(
                        McpSchema.ServerCapabilities.builder().tools(false).build())
                .jsonMapper(new JacksonMcpJsonMapper(json))
                // arguments are read by ToolArguments, whose refusals carry the API's code (invalid_arguments)
                .validateToolInputs(false)
                .tools(sets.stream().flatMap(set -> set.tools().stream()).toList())
                .build();
    }

    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE + 2)
    RouterFunction<ServerResponse> mcpRoute(
            WebFluxStatelessTransport transport, ApiKeyAuthentication keys, KeyRateLimits rateLimits) {
        return RouterFunctions.route()
                .POST(PATH, transport::handlePost)
                // in order: the bearer form of the key, then authentication, then the key's rate
                .filter(bearerAsApiKey())
                .filter(keys)
                .filter(rateLimits)
                .build()
                .and(RouterFunctions.route(
                        RequestPredicates.path(PATH),
                        request ->
                                Mono.error(new MethodNotAllowedException(request.method(), Set.of(HttpMethod.POST)))));
    }

    /** {@code Authorization: Bearer <key>} read as {@code x-api-key: <key>} when no x-api-key came. */
    private static HandlerFilterFunction<ServerResponse, ServerResponse> bearerAsApiKey() {
        return (request, next) -> {
            String bearer = OperatorToken.bearerToken(request.headers().firstHeader(HttpHeaders.AUTHORIZATION));
            if (request.headers().firstHeader(API_KEY_HEADER) != null || bearer == null) {
                return next.handle(request);
            }
            // the builder starts with an empty body: the original's is carried over explicitly
            return next.handle(ServerRequest.from(request)
                    .header(API_KEY_HEADER, bearer)
                    .body(request.bodyToFlux(DataBuffer.class))
                    .build());
        };
    }

    /** Adds {@code POST /v1/mcp} to the OpenAPI document, with each tool's route and scope. */
    public static void describe(OpenAPI document) {
        Operation mcp = new Operation()
                .summary("Model Context Protocol, Streamable HTTP (stateless: POST only, JSON answers). "
                        + "The API key in x-api-key or as Authorization: Bearer <key>. Tools: "
                        + String.join(
                                ", ",
                                McpToolRoutes.ALL.stream()
                                        .map(McpToolRoutes.ToolRoute::tool)
                                        .toList())
                        + "; each is a call of its route (x-mcp-tools) and needs that route's scope, else the tool "
                        + "answers isError with the route's error (missing_scope)")
                .addSecurityItem(new SecurityRequirement().addList("apiKey"))
                .responses(new ApiResponses()
                        .addApiResponse("200", new ApiResponse().description("the JSON-RPC response"))
                        .addApiResponse("202", new ApiResponse().description("a notification, accepted"))
                        .addApiResponse("401", new ApiResponse().description("no key, or not a valid one")));
        mcp.addExtension("x-required-scope", "any valid API key; each tool its route's scope (x-mcp-tools)");
        mcp.addExtension(
                "x-mcp-tools",
                McpToolRoutes.ALL.stream()
                        .map(route -> Map.of(
                                "tool", route.tool(),
                                "method", route.method().name(),
                                "path", route.path(),
                                "scope", route.scope()))
                        .toList());
        document.getPaths().addPathItem(PATH, new PathItem().post(mcp));
    }
}
