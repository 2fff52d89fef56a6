package dev.crownest.gateway.mcp;

import static dev.crownest.gateway.mcp.ToolCalls.fields;
import static dev.crownest.gateway.mcp.ToolCalls.object;
import static dev.crownest.gateway.mcp.ToolCalls.sandboxId;
import static dev.crownest.gateway.mcp.ToolCalls.string;

import io.modelcontextprotocol.server.McpStatelessServerFeatures.AsyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import org.springframework.web.util.UriUtils;
import reactor.core.publisher.Mono;

/**
 * The files of a sandbox's /workspace as tools: write (text), read, list. Reads stop at
 * {@value #MAX_READ_BYTES} bytes ({@code truncated} says so; larger files go through the files API's
 * signed URLs); content that is not UTF-8 comes back base64 ({@code encoding}).
 */
@Component
class FileTools implements McpToolSet {
    static final int MAX_READ_BYTES = 1024 * 1024;

    private final ToolCalls calls;

    FileTools(ToolCalls calls) {
        this.calls = calls;
    }

    @Override
    public List<AsyncToolSpecification> tools() {
        Map<String, Object> path = string("path under /workspace, relative to it or absolute");
        return List.of(
                calls.tool(
                        "write_file",
                        "Write a text file in the sandbox's /workspace (parents are made; an existing file is replaced).",
                        object(
                                Map.of("sandbox_id", sandboxId(), "path", path, "content", string("the file's text")),
                                "sandbox_id",
                                "path",
                                "content"),
                        (caller, args) -> {
                            String id = args.text("sandbox_id");
                            return calls.callJson(
                                    caller,
                                    "write_file",
                                    id,
                                    query(args.text("path")),
                                    args.content("content").getBytes(StandardCharsets.UTF_8),
                                    written -> fields(
                                            "sandbox_id",
                                            id,
                                            "path",
                                            written.path("path"),
                                            "size",
                                            written.path("size")));
                        }),
                calls.tool(
                        "read_file",
                        "Read a file of the sandbox's /workspace (at most 1 MiB of it).",
                        object(Map.of("sandbox_id", sandboxId(), "path", path), "sandbox_id", "path"),
                        (caller, args) -> read(caller, args.text("sandbox_id"), args.text("path"))),
                calls.tool(
                        "list_files",
                        "List a directory of the sandbox's /workspace: name, path, type, size, modified.",
                        object(Map.of("sandbox_id", sandboxId(), "path", path), "sandbox_id", "path"),
                        (caller, args) -> {
                            String id = args.text("sandbox_id");
                            return calls.callJson(
                                    caller,
                                    "list_files",
                                    id,
                                    query(args.text("path")),
                                    null,
                                    listing -> fields(
                                            "sandbox_id", id,
                                            "path", listing.path("path"),
                                            "entries", listing.path("entries")));
                        }));
    }

    private Mono<CallToolResult> read(McpCaller caller, String sandboxId, String path) {
        return calls.raw(caller, "read_file", sandboxId, query(path), null, MAX_READ_BYTES)
                .map(answer -> {
                    if (answer.isError()) {
                        return calls.results().failure(answer);
                    }
                    String text = utf8(answer.body());
                    return calls.results()
                            .success(fields(
                                    "sandbox_id",
                                    sandboxId,
                                    "path",
                                    path,
                                    "content",
                                    text != null ? text : Base64.getEncoder().encodeToString(answer.body()),
                                    "encoding",
                                    text != null ? "utf-8" : "base64",
                                    "truncated",
                                    answer.truncated()));
                });
    }

    /** The bytes as text when they are valid UTF-8, else null. */
    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException notText) {
            return null;
        }
    }

    private static String query(String path) {
        return "path=" + UriUtils.encodeQueryParam(path, StandardCharsets.UTF_8);
    }
}
