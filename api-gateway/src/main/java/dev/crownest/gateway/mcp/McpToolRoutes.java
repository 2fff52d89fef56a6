package dev.crownest.gateway.mcp;

import static org.springframework.http.HttpMethod.DELETE;
import static org.springframework.http.HttpMethod.GET;
import static org.springframework.http.HttpMethod.POST;
import static org.springframework.http.HttpMethod.PUT;

import dev.crownest.contracts.security.Scopes;
import java.util.List;
import java.util.NoSuchElementException;
import org.springframework.http.HttpMethod;

/**
 * Which public route each MCP tool stands for, and so the scope it needs: a tool call is a request to that
 * route with the caller's key, so the route's own scope check, idempotency, quotas, audit and project
 * restriction apply unchanged. This table is the one place that says so (the OpenAPI document lists it
 * under {@code /v1/mcp}, {@code x-mcp-tools}).
 */
public final class McpToolRoutes {

    /** One tool: the public route it calls and the scope that route requires of the key. */
    public record ToolRoute(String tool, HttpMethod method, String path, String scope) {}

    public static final List<ToolRoute> ALL = List.of(
            new ToolRoute("create_sandbox", POST, "/v1/sandboxes", Scopes.SANDBOXES_CREATE),
            new ToolRoute("run_shell", POST, "/v1/sandboxes/{id}/commands", Scopes.COMMANDS_RUN),
            new ToolRoute("run_code", POST, "/v1/sandboxes/{id}/commands", Scopes.COMMANDS_RUN),
            new ToolRoute("write_file", PUT, "/v1/sandboxes/{id}/files", Scopes.FILES_WRITE),
            new ToolRoute("read_file", GET, "/v1/sandboxes/{id}/files", Scopes.FILES_READ),
            new ToolRoute("list_files", GET, "/v1/sandboxes/{id}/files/list", Scopes.FILES_READ),
            new ToolRoute("pause_sandbox", POST, "/v1/sandboxes/{id}/pause", Scopes.SANDBOXES_PAUSE),
            new ToolRoute("resume_sandbox", POST, "/v1/sandboxes/{id}/resume", Scopes.SANDBOXES_PAUSE),
            new ToolRoute("terminate_sandbox", DELETE, "/v1/sandboxes/{id}", Scopes.SANDBOXES_KILL),
            new ToolRoute("create_preview", POST, "/v1/sandboxes/{id}/previews", Scopes.PREVIEWS_CREATE));

    private McpToolRoutes() {}

    /** The route of the tool named {@code tool}. */
    public static ToolRoute of(String tool) {
        return ALL.stream()
                .filter(route -> route.tool().equals(tool))
                .findFirst()
                .orElseThrow(() -> new NoSuchElementException("no MCP tool " + tool));
    }
}
