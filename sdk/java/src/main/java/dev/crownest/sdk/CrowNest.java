package dev.crownest.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The CrowNest client.
 *
 * <pre>{@code
 * CrowNest client = CrowNest.fromEnv(); // CROWNEST_API_URL, CROWNEST_API_KEY
 * Sandbox sandbox = client.sandboxes().create(new CreateSandboxOptions().template("python"));
 * System.out.println(sandbox.commands().run("python -c 'print(6 * 7)'").stdout());
 * sandbox.kill();
 * }</pre>
 *
 * <p>Every call is synchronous and thread-safe. Creates, runs and other changes carry an
 * {@code Idempotency-Key} of their own; 429 and 503 are retried after {@code Retry-After} (else an
 * exponential back-off), a dropped connection only when a GET or the key makes it safe. Failures are
 * {@link CrowNestException}s carrying the status, the API's code and the request id.
 */
public final class CrowNest {

    /** The API's address when neither the options, the environment nor the credentials file give one. */
    public static final String DEFAULT_BASE_URL = "http://127.0.0.1:8080";

    private final Transport http;
    private final Sandboxes sandboxes;
    private final Administration admin;

    private CrowNest(Transport http) {
        this.http = http;
        this.sandboxes = new Sandboxes(http);
        this.admin = new Administration(http);
    }

    /**
     * A client from {@code CROWNEST_API_KEY} and {@code CROWNEST_API_URL}, else the file {@code crownest
     * login} writes ({@code ~/.config/crownest/credentials}).
     */
    public static CrowNest fromEnv() {
        return builder().build();
    }

    /** A client to configure; unset values come from the environment as in {@link #fromEnv()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** The API's base URL, e.g. {@code http://127.0.0.1:8080}. */
    public String baseUrl() {
        return http.baseUrl;
    }

    /** Create, find, resume and fork sandboxes. */
    public Sandboxes sandboxes() {
        return sandboxes;
    }

    /** The operator's and tenant admins' calls (tenants, projects, keys); they need a session token. */
    public Administration admin() {
        return admin;
    }

    /**
     * Any other route of the API, JSON in and out: templates, snapshots, usage, audit, and the operator's
     * and tenant admins' routes (tenants, projects, keys) with a {@link Builder#sessionToken session}.
     * Changes (anything but GET) carry a fresh Idempotency-Key.
     *
     * @param body a JSON-writable value (a record, a map) or null for none
     * @return the answer's JSON (a missing node for an empty answer)
     */
    public JsonNode request(String method, String path, Object body) {
        Transport.Call call = http.call(method, path);
        if (body != null) {
            call.json(body);
        }
        if (!method.equals("GET")) {
            call.idempotent();
        }
        return call.json();
    }

    /**
     * The raw escape hatch: any request answered as it came (status, headers, body), never thrown for a
     * 4xx or 5xx, sent once with this client's key, base URL and JSON. See {@link RawHttp}.
     */
    public RawHttp http() {
        return new RawHttp(http, false);
    }

    /** A GET of any route: {@code request("GET", path, null)}. */
    public JsonNode get(String path) {
        return request("GET", path, null);
    }

    /** How a {@link CrowNest} client is made. */
    public static final class Builder {
        private String apiKey;
        private String baseUrl;
        private String sessionToken;
        private int maxRetries = 4;
        private Duration backoff = Duration.ofMillis(250);
        private Duration maxBackoff = Duration.ofSeconds(20);
        private Duration requestTimeout;
        private Map<String, String> env = System.getenv();

        private Builder() {}

        /** Default: {@code CROWNEST_API_KEY}, then the credentials file. */
        public Builder apiKey(String apiKey) {
            this.apiKey = apiKey;
            return this;
        }

        /** Default: {@code CROWNEST_API_URL}, then the credentials file, then {@value #DEFAULT_BASE_URL}. */
        public Builder baseUrl(String baseUrl) {
            this.baseUrl = baseUrl;
            return this;
        }

        /**
         * A session token (a tenant admin's, or the operator's {@code CROWNEST_ADMIN_TOKEN}) sent as
         * {@code Authorization: Bearer}; with it no API key is needed.
         */
        public Builder sessionToken(String token) {
            this.sessionToken = token;
            return this;
        }

        /** Retries on 429/503 (and dropped connections when safe). Default 4. */
        public Builder maxRetries(int maxRetries) {
            this.maxRetries = maxRetries;
            return this;
        }

        /** The first back-off when an answer has no {@code Retry-After} (doubled each time). Default 250 ms. */
        public Builder backoff(Duration backoff) {
            this.backoff = backoff;
            return this;
        }

        /** The longest back-off. Default 20 s. */
        public Builder maxBackoff(Duration maxBackoff) {
            this.maxBackoff = maxBackoff;
            return this;
        }

        /** How long one request may take until its answer begins. Default: no limit (runs block). */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = timeout;
            return this;
        }

        /** Reads {@code KEY=value} lines (an env file such as {@code .crownest/env}) instead of the environment. */
        public Builder envFile(Path file) {
            this.env = Map.copyOf(readProperties(file));
            return this;
        }

        /** The client; throws {@link IllegalStateException} when neither a key nor a session token is found. */
        public CrowNest build() {
            Map<String, String> file =
                    (apiKey != null || sessionToken != null) && baseUrl != null ? Map.of() : credentials(env);
            String key = apiKey != null ? apiKey : env.getOrDefault("CROWNEST_API_KEY", file.get("CROWNEST_API_KEY"));
            String url = baseUrl != null
                    ? baseUrl
                    : env.getOrDefault("CROWNEST_API_URL", file.getOrDefault("CROWNEST_API_URL", DEFAULT_BASE_URL));
            if (key == null && sessionToken == null) {
                throw new IllegalStateException(
                        "no API key: pass apiKey(...), set CROWNEST_API_KEY, or run `crownest login`");
            }
            return new CrowNest(new Transport(
                    url,
                    sessionToken != null && apiKey == null ? null : key,
                    sessionToken,
                    maxRetries,
                    backoff,
                    maxBackoff,
                    requestTimeout));
        }

        /** The credentials file {@code crownest login} writes (XDG_CONFIG_HOME respected); none: empty. */
        private static Map<String, String> credentials(Map<String, String> env) {
            String config = env.get("XDG_CONFIG_HOME");
            Path dir = config != null && !config.isBlank()
                    ? Path.of(config)
                    : Path.of(System.getProperty("user.home"), ".config");
            Path file = dir.resolve("crownest").resolve("credentials");
            return Files.isReadable(file) ? readProperties(file) : Map.of();
        }

        private static Map<String, String> readProperties(Path file) {
            Properties p = new Properties();
            try (var reader = Files.newBufferedReader(file)) {
                p.load(reader);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
            Map<String, String> out = new HashMap<>();
            p.stringPropertyNames()
                    .forEach(name -> out.put(name, p.getProperty(name).trim()));
            return out;
        }
    }
}
