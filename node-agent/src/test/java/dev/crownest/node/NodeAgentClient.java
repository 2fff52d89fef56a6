package dev.crownest.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crownest.contracts.security.ServiceTokens;
import dev.crownest.kit.auth.ServiceCredential;
import dev.crownest.testing.TestInfrastructure;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Drives a node agent's HTTP API in tests, as the execution worker does. */
final class NodeAgentClient {
    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();

    private final HttpClient http = HttpClient.newHttpClient();
    private final int port;
    /** Signed as the worker's calls are, with the secret every node agent of the tests has (IntegrationTest). */
    private static final ServiceCredential credential = new ServiceCredential(
            new ServiceTokens(TestInfrastructure.SERVICE_SECRET, Clock.systemUTC()),
            "execution-worker",
            Duration.ofMinutes(5),
            Clock.systemUTC(),
            List.of());

    /** A request to a node agent of the tests, signed as the worker's are. */
    static HttpRequest.Builder signed(URI uri) {
        return credential.sign(HttpRequest.newBuilder(uri));
    }

    NodeAgentClient(int port) {
        this.port = port;
    }

    record Exec(int status, int exitCode, boolean timedOut, boolean cancelled, String stdout, String stderr) {}

    static String newId() {
        return "sbx_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
    }

    HttpResponse<String> create(String id, String template, int cpu, int memoryMb, int diskMb) throws Exception {
        return post("/node/v1/sandboxes", """
                {"sandboxId":"%s","tenantId":"t1","template":"%s","cpu":%d,"memoryMb":%d,"diskMb":%d,"network":"off",
                 "expiresAt":"%s"}""".formatted(
                        id, template, cpu, memoryMb, diskMb, Instant.now().plusSeconds(300)));
    }

    int delete(String id) throws Exception {
        return http.send(
                        credential
                                .sign(HttpRequest.newBuilder(uri("/node/v1/sandboxes/" + id)))
                                .DELETE()
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    Exec exec(String id, String cmd, long timeoutMs) throws Exception {
        return exec(id, "c-" + UUID.randomUUID(), cmd, timeoutMs);
    }

    Exec exec(String id, String commandId, String cmd, long timeoutMs) throws Exception {
        HttpResponse<InputStream> res = execStream(id, commandId, cmd, timeoutMs);
        if (res.statusCode() != 200) {
            return new Exec(
                    res.statusCode(),
                    -1,
                    false,
                    false,
                    new String(res.body().readAllBytes(), StandardCharsets.UTF_8),
                    "");
        }
        return readExec(res.body());
    }

    HttpResponse<InputStream> execStream(String id, String commandId, String cmd, long timeoutMs) throws Exception {
        String body = JSON.writeValueAsString(Map.of("commandId", commandId, "cmd", cmd, "timeoutMs", timeoutMs));
        return http.send(
                credential
                        .sign(HttpRequest.newBuilder(uri("/node/v1/sandboxes/" + id + "/exec")))
                        .header("content-type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofInputStream());
    }

    static Exec readExec(InputStream body) throws Exception {
        StringBuilder out = new StringBuilder();
        StringBuilder err = new StringBuilder();
        int exit = -1;
        boolean timedOut = false;
        boolean cancelled = false;
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            for (String line; (line = lines.readLine()) != null; ) {
                JsonNode chunk = JSON.readTree(line);
                switch (chunk.path("stream").asText()) {
                    case "stdout" -> out.append(decode(chunk));
                    case "stderr" -> err.append(decode(chunk));
                    case "exit" -> {
                        exit = chunk.path("exitCode").asInt();
                        timedOut = chunk.path("timedOut").asBoolean();
                        cancelled = chunk.path("cancelled").asBoolean();
                    }
                    default -> throw new AssertionError("unexpected chunk " + line);
                }
            }
        }
        return new Exec(200, exit, timedOut, cancelled, out.toString(), err.toString());
    }

    private static String decode(JsonNode chunk) {
        return new String(Base64.getDecoder().decode(chunk.path("data").asText()), StandardCharsets.UTF_8);
    }

    HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(
                credential
                        .sign(HttpRequest.newBuilder(uri(path)))
                        .header("content-type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> send(String method, String path, HttpRequest.BodyPublisher body) throws Exception {
        return http.send(
                credential
                        .sign(HttpRequest.newBuilder(uri(path)))
                        .header("content-type", "application/octet-stream")
                        .method(method, body)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<byte[]> getBytes(String path) throws Exception {
        return http.send(
                credential.sign(HttpRequest.newBuilder(uri(path))).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    static JsonNode json(String body) throws Exception {
        return JSON.readTree(body);
    }

    static String q(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** The containers of the node on {@code state}: runsc's ids, or Docker's names (the sandbox or pool ids). */
    static String runscList(Path state) throws Exception {
        if (TestSandboxes.DOCKER) {
            return TestSandboxes.docker(
                    "ps", "-a", "--filter", "label=dev.crownest.node-state=" + state, "--format", "{{.Names}}");
        }
        Process p = new ProcessBuilder(
                        TestSandboxes.RUNSC, "--root", state.resolve("runsc").toString(), "list", "-quiet")
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }

    /** The container's status in runsc (running, stopped), or "" when runsc has no such container. */
    static String runscState(Path state, String id) throws Exception {
        if (TestSandboxes.DOCKER) {
            String status = TestSandboxes.docker("inspect", "-f", "{{.State.Status}}", id)
                    .strip();
            return status.contains("No such") || status.isEmpty() ? "" : status.equals("exited") ? "stopped" : status;
        }
        Process p = new ProcessBuilder(
                        TestSandboxes.RUNSC, "--root", state.resolve("runsc").toString(), "state", id)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out.isBlank() ? "" : JSON.readTree(out).path("status").asText();
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
