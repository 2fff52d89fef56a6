package dev.crownest.gateway.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpStatelessServerFeatures.AsyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * What every tool shares: its declaration for the SDK, the call of its route ({@link McpToolRoutes}) in the
 * caller's name, and the turning of the route's answer into a tool result, so that no failure of any kind
 * escapes as anything but a tool error.
 */
@Component
class ToolCalls {
    /** The most of a JSON answer a tool reads (a command record holds at most 512 KiB per stream). */
    static final int MAX_JSON_ANSWER = 4 * 1024 * 1024;

    /** What a tool does with its arguments, in its caller's name. */
    @FunctionalInterface
    interface Body {
        Mono<CallToolResult> call(McpCaller caller, ToolArguments arguments);
    }

    private final OwnRoutes routes;
    private final ToolResults results;
    private final ObjectMapper json;

    ToolCalls(OwnRoutes routes, ToolResults results, ObjectMapper json) {
        this.routes = routes;
        this.results = results;
        this.json = json;
    }

    ToolResults results() {
        return results;
    }

    /** The SDK's declaration of the tool {@code name} (a row of {@link McpToolRoutes}). */
    AsyncToolSpecification tool(String name, String description, Map<String, Object> inputSchema, Body body) {
        McpToolRoutes.of(name);
        return new AsyncToolSpecification(
                McpSchema.Tool.builder(name, inputSchema)
                        .description(description)
                        .build(),
                (McpTransportContext context, McpSchema.CallToolRequest request) -> Mono.defer(
                                () -> body.call(McpCaller.of(context), new ToolArguments(request.arguments())))
                        .onErrorResume(failure -> Mono.just(results.failure(failure))));
    }

    /** Calls the tool's route and shapes its JSON answer; an error answer becomes the tool's error. */
    Mono<CallToolResult> callJson(
            McpCaller caller,
            String tool,
            String sandboxId,
            String rawQuery,
            Object body,
            Function<JsonNode, Map<String, Object>> shape) {
        return raw(caller, tool, sandboxId, rawQuery, body, MAX_JSON_ANSWER).map(answer -> {
            if (answer.isError()) {
                return results.failure(answer);
            }
            return results.success(shape.apply(read(answer)));
        });
    }

    /** Calls the tool's route, answering what it said (the caller tells errors from successes). */
    Mono<OwnRoutes.Answer> raw(
            McpCaller caller, String tool, String sandboxId, String rawQuery, Object body, int maxBytes) {
        return routes.call(caller, McpToolRoutes.of(tool), sandboxId, rawQuery, body, maxBytes);
    }

    private JsonNode read(OwnRoutes.Answer answer) {
        try {
            return answer.body().length == 0 ? json.createObjectNode() : json.readTree(answer.body());
        } catch (IOException e) {
            throw new IllegalStateException("a route answered something other than JSON", e);
        }
    }

    /** A JSON-schema object with these properties, of which {@code required} must be given. */
    static Map<String, Object> object(Map<String, Object> properties, String... required) {
        return Map.of(
                "type",
                "object",
                "properties",
                properties,
                "required",
                List.of(required),
                "additionalProperties",
                false);
    }

    static Map<String, Object> string(String description) {
        return Map.of("type", "string", "description", description);
    }

    static Map<String, Object> integer(String description) {
        return Map.of("type", "integer", "description", description);
    }

    static Map<String, Object> sandboxId() {
        return string("the sandbox's id, sbx_...");
    }

    /** A structured result without its absent (null or missing) fields, in the order given. */
    static Map<String, Object> fields(Object... namesAndValues) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            Object value = namesAndValues[i + 1];
            if (value instanceof JsonNode node) {
                value = node.isMissingNode() || node.isNull() ? null : node;
            }
            if (value != null) {
                fields.put((String) namesAndValues[i], value);
            }
        }
        return fields;
    }
}
