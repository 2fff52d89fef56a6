package dev.crownest.gateway.mcp;

import static dev.crownest.gateway.mcp.ToolCalls.fields;
import static dev.crownest.gateway.mcp.ToolCalls.integer;
import static dev.crownest.gateway.mcp.ToolCalls.object;
import static dev.crownest.gateway.mcp.ToolCalls.sandboxId;
import static dev.crownest.gateway.mcp.ToolCalls.string;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crownest.contracts.api.ApiException;
import dev.crownest.contracts.api.RunCommandRequest;
import io.modelcontextprotocol.server.McpStatelessServerFeatures.AsyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Commands as tools: a shell command line, or a program in python, node or bash. Both are one blocking run
 * of the commands route; a program is that language's interpreter reading the code from stdin, so nothing
 * is left behind in the sandbox and only {@code commands:run} is needed. The result is the command's
 * {@code exit_code}, {@code stdout} and {@code stderr}; a non-zero exit is a result, not a tool error.
 */
@Component
class CommandTools implements McpToolSet {
    /** The interpreter of each language, reading its program from stdin. */
    static final Map<String, String> INTERPRETERS = Map.of(
            "python", "python3 -",
            "node", "node -",
            "bash", "bash -s");

    private final ToolCalls calls;

    CommandTools(ToolCalls calls) {
        this.calls = calls;
    }

    @Override
    public List<AsyncToolSpecification> tools() {
        return List.of(
                calls.tool(
                        "run_shell",
                        "Run a shell command line (sh -c) in the sandbox's /workspace and wait for its exit.",
                        object(
                                Map.of(
                                        "sandbox_id", sandboxId(),
                                        "command", string("the command line"),
                                        "timeout_ms", integer("kill it after this many milliseconds (default 60000)")),
                                "sandbox_id",
                                "command"),
                        (caller, args) -> run(
                                caller,
                                "run_shell",
                                args.text("sandbox_id"),
                                new RunCommandRequest(
                                        args.text("command"),
                                        null,
                                        null,
                                        args.optionalInteger("timeout_ms"),
                                        null,
                                        false))),
                calls.tool(
                        "run_code",
                        "Run a program in python, node or bash in the sandbox (the template must have the "
                                + "interpreter: python in template python, node in template node) and wait for its exit.",
                        object(
                                Map.of(
                                        "sandbox_id", sandboxId(),
                                        "language",
                                                Map.of(
                                                        "type", "string",
                                                        "enum", List.of("python", "node", "bash"),
                                                        "description", "the program's language"),
                                        "code", string("the program's source")),
                                "sandbox_id",
                                "language",
                                "code"),
                        (caller, args) -> {
                            String language = args.text("language");
                            String interpreter = INTERPRETERS.get(language);
                            if (interpreter == null) {
                                throw ApiException.badRequest(
                                        ToolArguments.INVALID, "language must be python, node or bash");
                            }
                            return run(
                                    caller,
                                    "run_code",
                                    args.text("sandbox_id"),
                                    new RunCommandRequest(interpreter, null, null, null, args.content("code"), false));
                        }));
    }

    private Mono<CallToolResult> run(McpCaller caller, String tool, String sandboxId, RunCommandRequest request) {
        return calls.callJson(caller, tool, sandboxId, null, request, CommandTools::command);
    }

    private static Map<String, Object> command(JsonNode record) {
        return fields(
                "sandbox_id", record.path("sandboxId"),
                "command_id", record.path("id"),
                "exit_code", record.path("exitCode"),
                "stdout", record.path("stdout"),
                "stderr", record.path("stderr"),
                "duration_ms", record.path("durationMs"),
                "timed_out", record.path("timedOut"),
                "truncated", record.path("truncated"));
    }
}
