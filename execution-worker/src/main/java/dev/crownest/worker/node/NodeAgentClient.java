package dev.crownest.worker.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crownest.contracts.node.ExecChunk;
import dev.crownest.contracts.node.ExecFrames;
import dev.crownest.contracts.node.ExecRequest;
import dev.crownest.contracts.node.NodeSandbox;
import dev.crownest.contracts.node.NodeSandboxSpec;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/** HTTP calls on a node agent (docs/services.md, "node-agent"). */
@Component
public class NodeAgentClient {
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final ObjectMapper json;
    private final URI base;

    public NodeAgentClient(ObjectMapper json, @Value("${crownest.node-agent.url:http://localhost:8083}") String url) {
        this.json = json;
        this.base = URI.create(url);
    }

    public NodeSandbox start(NodeSandboxSpec spec) throws IOException, InterruptedException {
        HttpResponse<String> res = http.send(
                post("/node/v1/sandboxes", spec, Duration.ofSeconds(60)), HttpResponse.BodyHandlers.ofString());
        if (res.statusCode() != 201) {
            throw new NodeRefused(errorMessage(res.body(), res.statusCode()));
        }
        return json.readValue(res.body(), NodeSandbox.class);
    }

    public void stop(String sandboxId) throws IOException, InterruptedException {
        HttpResponse<String> res = http.send(
                HttpRequest.newBuilder(base.resolve("/node/v1/sandboxes/" + sandboxId))
                        .timeout(Duration.ofSeconds(30))
                        .DELETE()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (res.statusCode() != 204) {
            throw new NodeRefused(errorMessage(res.body(), res.statusCode()));
        }
    }

    /** Pause (checkpoint), resume (restore) or move the TTL of a sandbox on the node; idempotent there. */
    public NodeSandbox change(String sandboxId, String action, Object body) throws IOException, InterruptedException {
        HttpResponse<String> res = http.send(
                post(
                        "/node/v1/sandboxes/" + sandboxId + "/" + action,
                        body == null ? Map.of() : body,
                        Duration.ofSeconds(60)),
                HttpResponse.BodyHandlers.ofString());
        if (res.statusCode() != 200) {
            throw new NodeRefused(errorMessage(res.body(), res.statusCode()));
        }
        return json.readValue(res.body(), NodeSandbox.class);
    }

    /** A piece of a command's output, as its node streams it. */
    public record Output(String stream, byte[] data) {}

    /**
     * Runs a command, handing each piece of output to {@code onOutput} as the node streams it; answers
     * the exit chunk, or null when the stream ended without one. Asks for {@link ExecFrames}: output
     * arrives as its own bytes, not base64 in JSON.
     */
    public ExecChunk exec(String sandboxId, ExecRequest request, Consumer<Output> onOutput)
            throws IOException, InterruptedException {
        Duration timeout = Duration.ofMillis(request.timeoutMs() + 30_000);
        HttpRequest post = HttpRequest.newBuilder(
                        post("/node/v1/sandboxes/" + sandboxId + "/exec", request, timeout), (n, v) -> true)
                .header("accept", ExecFrames.MEDIA_TYPE)
                .build();
        HttpResponse<InputStream> res = http.send(post, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = new BufferedInputStream(res.body(), 256 * 1024)) {
            if (res.statusCode() != 200) {
                throw new NodeRefused(
                        errorMessage(new String(body.readAllBytes(), StandardCharsets.UTF_8), res.statusCode()));
            }
            for (ExecFrames.Frame frame; (frame = ExecFrames.read(body)) != null; ) {
                if (frame.type() == ExecFrames.EXIT) {
                    return json.readValue(frame.payload(), ExecChunk.class);
                }
                onOutput.accept(new Output(frame.stream(), frame.payload()));
            }
            return null;
        }
    }

    /**
     * Kills a running command's process group; answers false when the node does not know it (it
     * finished, or never started there), which leaves nothing to cancel.
     */
    public boolean cancel(String sandboxId, String commandId) throws IOException, InterruptedException {
        HttpResponse<String> res = http.send(
                HttpRequest.newBuilder(
                                base.resolve("/node/v1/sandboxes/" + sandboxId + "/exec/" + commandId + "/cancel"))
                        .timeout(Duration.ofSeconds(10))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (res.statusCode() == 404) {
            return false;
        }
        if (res.statusCode() / 100 != 2) {
            throw new NodeRefused(errorMessage(res.body(), res.statusCode()));
        }
        return true;
    }

    /**
     * Opens a file of the sandbox's /workspace for reading (the node's files API, streamed). An error
     * answer comes back with its ApiError code (e.g. {@code file_not_found}); the caller closes the content.
     */
    public WorkspaceFile openFile(String sandboxId, String path) throws IOException, InterruptedException {
        URI uri = URI.create(base + "/node/v1/sandboxes/" + sandboxId + "/files?path="
                + java.net.URLEncoder.encode(path, java.nio.charset.StandardCharsets.UTF_8));
        HttpResponse<java.io.InputStream> res = http.send(
                HttpRequest.newBuilder(uri)
                        .timeout(Duration.ofSeconds(30))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofInputStream());
        if (res.statusCode() != 200) {
            String body;
            try (var in = res.body()) {
                body = new String(in.readNBytes(64 * 1024), java.nio.charset.StandardCharsets.UTF_8);
            }
            return new WorkspaceFile(null, -1, errorCode(body, res.statusCode()), errorMessage(body, res.statusCode()));
        }
        return new WorkspaceFile(
                res.body(), res.headers().firstValueAsLong("content-length").orElse(-1), null, null);
    }

    /** A file being read from a node: its content and length (-1: unknown), or the node's error code and message. */
    public record WorkspaceFile(java.io.InputStream content, long length, String errorCode, String errorMessage) {}

    private String errorCode(String body, int status) {
        try {
            JsonNode error = json.readTree(body).path("error");
            if (error.hasNonNull("code")) {
                return error.path("code").asText();
            }
        } catch (IOException notJson) {
            // fall through to the status
        }
        return "node_error_" + status;
    }

    private HttpRequest post(String path, Object body, Duration timeout) throws IOException {
        return HttpRequest.newBuilder(base.resolve(path))
                .timeout(timeout)
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)))
                .build();
    }

    private String errorMessage(String body, int status) {
        try {
            JsonNode error = json.readTree(body).path("error");
            if (error.hasNonNull("message")) {
                return error.path("message").asText();
            }
        } catch (IOException notJson) {
            // fall through to the status
        }
        return "node agent answered " + status;
    }

    /** The node answered with an error; its message is safe to record. */
    public static class NodeRefused extends IOException {
        public NodeRefused(String message) {
            super(message);
        }
    }
}
