package dev.crownest.systemtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;

/**
 * A tenant's view of a running CrowNest: the public REST API with the key from {@code .crownest/env}.
 * Used by the system tests and the benchmarks, so both exercise exactly what a user calls.
 */
public final class PlatformClient {

    /** An HTTP answer: status and parsed JSON body (null when the body is empty or not JSON). */
    public record Answer(int status, JsonNode body, String raw, boolean replayed) {
        public Answer(int status, JsonNode body, String raw) {
            this(status, body, raw, false);
        }

        /** The answer of a response read as text: its body parsed when it is JSON, kept raw either way. */
        public static Answer of(HttpResponse<String> res) {
            JsonNode body = null;
            try {
                body = res.body().isBlank() ? null : JSON.readTree(res.body());
            } catch (IOException notJson) {
                // kept raw: the caller asserts on it
            }
            return new Answer(
                    res.statusCode(),
                    body,
                    res.body(),
                    res.headers()
                            .firstValue("Idempotent-Replayed")
                            .map("true"::equals)
                            .orElse(false));
        }

        public String text(String field) {
            return body == null || body.path(field).isMissingNode()
                    ? null
                    : body.path(field).asText();
        }
    }

    /** A raw answer (a download): status, bytes and headers. */
    public record Download(int status, byte[] body, HttpHeaders headers) {
        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    /** One server-sent event; {@code id} is null when it had none. */
    public record Sse(String event, JsonNode data, String id) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String apiUrl;
    private final String apiKey;
    private final String sessionToken;

    public PlatformClient(String apiUrl, String apiKey) {
        this(apiUrl, apiKey, null);
    }

    private PlatformClient(String apiUrl, String apiKey, String sessionToken) {
        this.apiUrl = apiUrl;
        this.apiKey = apiKey;
        this.sessionToken = sessionToken;
    }

    /** Reads {@code CROWNEST_API_URL} and {@code CROWNEST_API_KEY} from the env file {@code ./crownest up} writes. */
    public static PlatformClient fromEnvFile(Path envFile) {
        Properties env = new Properties();
        try (var reader = Files.newBufferedReader(envFile)) {
            env.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + envFile + "; is the platform up (./crownest up)?", e);
        }
        return new PlatformClient(env.getProperty("CROWNEST_API_URL"), env.getProperty("CROWNEST_API_KEY"));
    }

    /** The platform operator ({@code CROWNEST_ADMIN_TOKEN} of the env file): a session, no API key. */
    public static PlatformClient operatorFromEnvFile(Path envFile) {
        Properties env = new Properties();
        try (var reader = Files.newBufferedReader(envFile)) {
            env.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + envFile + "; is the platform up (./crownest up)?", e);
        }
        return new PlatformClient(env.getProperty("CROWNEST_API_URL"), null, env.getProperty("CROWNEST_ADMIN_TOKEN"));
    }

    public String apiUrl() {
        return apiUrl;
    }

    /** The key this client sends (benchmarks hand it to a load generator). */
    public String apiKey() {
        return apiKey;
    }

    public PlatformClient withKey(String otherKey) {
        return new PlatformClient(apiUrl, otherKey, null);
    }

    /** A session caller (a tenant admin's token), no API key. */
    public PlatformClient withSession(String token) {
        return new PlatformClient(apiUrl, null, token);
    }

    /** This caller with both an API key and a session token, as a confused client might send. */
    public PlatformClient withKeyAndSession(String key, String token) {
        return new PlatformClient(apiUrl, key, token);
    }

    /** Any method, raw JSON body or none. */
    public Answer call(String method, String path, String rawBody) {
        HttpRequest.Builder b = request(path);
        if (rawBody != null) {
            b.header("content-type", "application/json");
        }
        return send(b.method(
                method,
                rawBody == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(rawBody)));
    }

    public Answer get(String path) {
        return send(request(path).GET());
    }

    /** A GET whose answer is kept as bytes (artifact contents). */
    public Download download(String path) {
        try {
            HttpResponse<byte[]> res = http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Download(res.statusCode(), res.body(), res.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public Answer delete(String path) {
        return send(request(path).DELETE());
    }

    public Answer post(String path, Object body) {
        return postRaw(path, body instanceof String s ? s : toJson(body));
    }

    public Answer put(String path, Object body) {
        return send(request(path)
                .header("content-type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body instanceof String s ? s : toJson(body))));
    }

    public Answer postRaw(String path, String rawBody) {
        return send(request(path)
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(rawBody)));
    }

    /** A POST with an {@code Idempotency-Key}; {@code replayed} tells whether the gateway answered from its record. */
    public Answer postIdempotent(String path, Object body, String idempotencyKey) {
        return send(request(path)
                .header("content-type", "application/json")
                .header("Idempotency-Key", idempotencyKey)
                .POST(HttpRequest.BodyPublishers.ofString(body instanceof String s ? s : toJson(body))));
    }

    /**
     * Creates a project of {@code tenantId} named {@code name} (an operator's client; a made-up
     * {@code projectId} is refused everywhere since issue 15) and answers its id.
     */
    public String createProject(String tenantId, String name) {
        Answer created = post("/v1/projects?tenantId=" + tenantId, Map.of("name", name));
        if (created.status() != 201) {
            throw new IllegalStateException("project " + name + " not created: " + created.raw());
        }
        return created.text("id");
    }

    /** Creates a sandbox of {@code template} and answers its JSON (status 201 expected). */
    public Answer createSandbox(String template) {
        return post("/v1/sandboxes", Map.of("template", template));
    }

    public Answer run(String sandboxId, String cmd) {
        return post("/v1/sandboxes/" + sandboxId + "/commands", Map.of("cmd", cmd));
    }

    /**
     * Runs {@code cmd} streamed as server-sent events, handing each event to {@code onEvent} as it
     * arrives; answers the HTTP status (200 for a stream).
     */
    public int stream(String sandboxId, String cmd, Consumer<Sse> onEvent) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("cmd", cmd);
        return stream(sandboxId, body, onEvent);
    }

    /** {@link #stream(String, String, Consumer)} with a whole run request (collect, env, ...). */
    public int stream(String sandboxId, Map<String, Object> runRequest, Consumer<Sse> onEvent) {
        Map<String, Object> body = new LinkedHashMap<>(runRequest);
        body.put("stream", true);
        HttpRequest req = request("/v1/sandboxes/" + sandboxId + "/commands")
                .header("content-type", "application/json")
                .header("accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(toJson(body)))
                .build();
        return events(req, onEvent);
    }

    /**
     * Follows a command through {@code GET .../commands/{cid}/stream}, from {@code lastEventId} (null: the
     * first byte), handing each event to {@code onEvent} until the exit or the stream's end; answers the
     * HTTP status. A broken connection is an {@link UncheckedIOException} (the caller reattaches).
     */
    public int follow(String sandboxId, String commandId, String lastEventId, Consumer<Sse> onEvent) {
        HttpRequest.Builder req = request("/v1/sandboxes/" + sandboxId + "/commands/" + commandId + "/stream")
                .header("accept", "text/event-stream");
        if (lastEventId != null) {
            req.header("last-event-id", lastEventId);
        }
        return events(req.GET().build(), onEvent);
    }

    private int events(HttpRequest req, Consumer<Sse> onEvent) {
        try {
            HttpResponse<InputStream> res = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
            if (res.statusCode() != 200) {
                res.body().close();
                return res.statusCode();
            }
            try (var lines = new BufferedReader(new InputStreamReader(res.body(), StandardCharsets.UTF_8))) {
                String event = "message";
                String id = null;
                StringBuilder data = new StringBuilder();
                for (String line; (line = lines.readLine()) != null; ) {
                    if (line.startsWith("event:")) {
                        event = line.substring(6).trim();
                    } else if (line.startsWith("id:")) {
                        id = line.substring(3).trim();
                    } else if (line.startsWith("data:")) {
                        data.append(line.substring(5).trim());
                    } else if (line.isEmpty() && !data.isEmpty()) {
                        onEvent.accept(new Sse(event, JSON.readTree(data.toString()), id));
                        if (event.equals("exit")) {
                            break;
                        }
                        event = "message";
                        id = null;
                        data.setLength(0);
                    }
                }
            }
            return res.statusCode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(apiUrl + path)).timeout(Duration.ofSeconds(120));
        if (apiKey != null) {
            b.header("x-api-key", apiKey);
        }
        if (sessionToken != null) {
            b.header("authorization", "Bearer " + sessionToken);
        }
        return b;
    }

    private Answer send(HttpRequest.Builder builder) {
        try {
            return Answer.of(http.send(builder.build(), HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String toJson(Object body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
