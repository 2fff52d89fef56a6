package dev.crownest.gateway.mcp;

import static dev.crownest.gateway.mcp.ToolCalls.fields;
import static dev.crownest.gateway.mcp.ToolCalls.integer;
import static dev.crownest.gateway.mcp.ToolCalls.object;
import static dev.crownest.gateway.mcp.ToolCalls.sandboxId;
import static dev.crownest.gateway.mcp.ToolCalls.string;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crownest.contracts.api.CreatePreviewRequest;
import dev.crownest.contracts.api.CreateSandboxRequest;
import io.modelcontextprotocol.server.McpStatelessServerFeatures.AsyncToolSpecification;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The sandbox's life as tools: create, pause, resume, terminate, and a preview of one of its ports. Each
 * result carries {@code sandbox_id} and the sandbox's {@code status} (pause also its {@code snapshot_id} once
 * the API answers one).
 */
@Component
class SandboxTools implements McpToolSet {
    private final ToolCalls calls;

    SandboxTools(ToolCalls calls) {
        this.calls = calls;
    }

    @Override
    public List<AsyncToolSpecification> tools() {
        Map<String, Object> oneSandbox = object(Map.of("sandbox_id", sandboxId()), "sandbox_id");
        return List.of(
                calls.tool(
                        "create_sandbox",
                        "Create an isolated Linux sandbox (gVisor) from a template and wait until it runs.",
                        object(Map.of(
                                "template", string("template name: base, python, node, or one of your own"),
                                "network", string("off (default, loopback only), restricted or open"),
                                "ttl_ms", integer("lifetime in milliseconds (default 300000)"))),
                        (caller, args) -> calls.callJson(
                                caller,
                                "create_sandbox",
                                null,
                                null,
                                new CreateSandboxRequest(
                                        args.optionalText("template"),
                                        args.optionalInteger("ttl_ms"),
                                        args.optionalText("network"),
                                        null,
                                        null,
                                        null,
                                        null,
                                        null,
                                        null,
                                        null),
                                SandboxTools::sandbox)),
                calls.tool(
                        "pause_sandbox",
                        "Pause a running sandbox: its processes and files are kept and no compute is metered.",
                        oneSandbox,
                        (caller, args) -> calls.callJson(
                                caller, "pause_sandbox", args.text("sandbox_id"), null, null, SandboxTools::sandbox)),
                calls.tool(
                        "resume_sandbox",
                        "Resume a paused sandbox with its processes and files as they were.",
                        oneSandbox,
                        (caller, args) -> calls.callJson(
                                caller, "resume_sandbox", args.text("sandbox_id"), null, null, SandboxTools::sandbox)),
                calls.tool(
                        "terminate_sandbox",
                        "Kill a sandbox for good; its files are gone (collected artifacts stay).",
                        oneSandbox,
                        (caller, args) -> {
                            String id = args.text("sandbox_id");
                            return calls.callJson(
                                    caller,
                                    "terminate_sandbox",
                                    id,
                                    null,
                                    null,
                                    view -> fields("sandbox_id", id, "status", view.path("status")));
                        }),
                calls.tool(
                        "create_preview",
                        "Serve a port of a running sandbox at an authenticated URL of the gateway.",
                        object(
                                Map.of(
                                        "sandbox_id",
                                        sandboxId(),
                                        "port",
                                        integer("TCP port inside the sandbox that serves HTTP (1-65535)")),
                                "sandbox_id",
                                "port"),
                        (caller, args) -> calls.callJson(
                                caller,
                                "create_preview",
                                args.text("sandbox_id"),
                                null,
                                new CreatePreviewRequest(args.smallInteger("port")),
                                view -> fields(
                                        "sandbox_id", view.path("sandboxId"),
                                        "preview_id", view.path("id"),
                                        "port", view.path("port"),
                                        "status", view.path("status"),
                                        "url", view.path("url")))));
    }

    private static Map<String, Object> sandbox(JsonNode view) {
        return fields(
                "sandbox_id", view.path("id"),
                "status", view.path("status"),
                "template", view.path("template"),
                "network", view.path("network"),
                "expires_at", view.path("expiresAt"),
                "snapshot_id", view.path("snapshotId"));
    }
}
