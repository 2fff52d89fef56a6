package dev.crownest.gateway.mcp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crownest.contracts.api.ApiException;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClientRequestException;

/**
 * Tool results in one form: the structured content, and the same as JSON text for clients that read only
 * text (the MCP specification's advice). A failure is a tool error ({@code isError}) whose content is the
 * API's error shape, {@code {"error":{"type","code","message","requestId","status"}}}.
 */
@Component
class ToolResults {
    private static final Logger log = LoggerFactory.getLogger(ToolResults.class);

    private final ObjectMapper json;

    ToolResults(ObjectMapper json) {
        this.json = json;
    }

    CallToolResult success(Map<String, Object> structured) {
        return result(structured, false);
    }

    /** The error a route answered, as it answered it. */
    CallToolResult failure(OwnRoutes.Answer answer) {
        Map<String, Object> error = new LinkedHashMap<>();
        try {
            JsonNode body = json.readTree(answer.body());
            if (body != null && body.path("error").isObject()) {
                error.putAll(json.convertValue(body.get("error"), Map.class));
            }
        } catch (IOException notJson) {
            // not the API's shape (never expected from a public route): the status alone says what happened
        }
        error.putIfAbsent("code", "http_" + answer.status().value());
        error.putIfAbsent("message", "the route answered " + answer.status().value());
        error.put("status", answer.status().value());
        return result(Map.of("error", error), true);
    }

    /** A failure before or instead of a route's answer: bad arguments, or the gateway itself unreachable. */
    CallToolResult failure(Throwable failure) {
        ApiException known = failure instanceof ApiException api ? api : null;
        if (known == null) {
            log.warn("MCP tool call failed: {}", failure.toString());
            known = failure instanceof WebClientRequestException
                    ? ApiException.unavailable(
                            "upstream_unavailable", "the gateway could not be reached, retry shortly")
                    : new ApiException(500, "internal", "internal_error", "the tool call failed");
        }
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("type", known.type());
        error.put("code", known.code());
        error.put("message", known.getMessage());
        error.put("status", known.status());
        return result(Map.of("error", error), true);
    }

    private CallToolResult result(Map<String, Object> structured, boolean isError) {
        String text;
        try {
            text = json.writeValueAsString(structured);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tool result did not serialize", e);
        }
        return CallToolResult.builder()
                .addTextContent(text)
                .structuredContent(structured)
                .isError(isError)
                .build();
    }
}
