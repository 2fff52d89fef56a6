package dev.crownest.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * One node agent's HTTP API ({@code /node/v1/...}) as the runtime benchmarks drive it: straight to the
 * node, with no control plane in front, so what is timed is the node's own work.
 */
public final class NodeAgent {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final URI url;

    public NodeAgent(URI url) {
        this.url = url;
    }

    public URI url() {
        return url;
    }

    /** A fresh sandbox id of the platform's shape. */
    public static String newSandboxId() {
        return "sbx_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
    }

    /** Creates a sandbox (512 MB, 1 GB disk, no network, an hour to live) and answers once it runs. */
    public void create(String id, String template, int cpu) throws Exception {
        post(
                "/node/v1/sandboxes",
                JSON.writeValueAsString(Map.of(
                        "sandboxId",
                        id,
                        "tenantId",
                        "bench",
                        "template",
                        template,
                        "cpu",
                        cpu,
                        "memoryMb",
                        512,
                        "diskMb",
                        1024,
                        "network",
                        "off",
                        "expiresAt",
                        Instant.now().plusSeconds(3600).toString())));
    }

    /** Runs {@code cmd} and fails unless it exits 0. */
    public void exec(String id, String cmd) throws Exception {
        String body = post(
                "/node/v1/sandboxes/" + id + "/exec", JSON.writeValueAsString(Map.of("cmd", cmd, "timeoutMs", 10_000)));
        if (!body.contains("\"exitCode\":0")) {
            throw new IllegalStateException("exec failed on " + url + ": " + body);
        }
    }

    public void pause(String id) throws Exception {
        post("/node/v1/sandboxes/" + id + "/pause", "{}");
    }

    public void resume(String id) throws Exception {
        post("/node/v1/sandboxes/" + id + "/resume", "{}");
    }

    /** Removes the sandbox; answers the HTTP status (204 when it was there). */
    public int delete(String id) throws Exception {
        return HTTP.send(
                        HttpRequest.newBuilder(url.resolve("/node/v1/sandboxes/" + id))
                                .DELETE()
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    /** The node's warm pool ({@code GET /node/v1/warm-pool}): per template, how many sandboxes are ready. */
    public JsonNode warmPool() throws IOException, InterruptedException {
        HttpResponse<String> res = HTTP.send(
                HttpRequest.newBuilder(url.resolve("/node/v1/warm-pool")).build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(res.body());
    }

    private String post(String path, String body) throws Exception {
        HttpResponse<String> res = HTTP.send(
                HttpRequest.newBuilder(url.resolve(path))
                        .timeout(Duration.ofSeconds(60))
                        .header("content-type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (res.statusCode() / 100 != 2) {
            throw new IllegalStateException(url + path + " answered " + res.statusCode() + ": " + res.body());
        }
        return res.body();
    }
}
