package dev.crownest.systemtest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crownest.contracts.security.ServiceTokens;
import dev.crownest.sdk.CrowNest;
import dev.crownest.sdk.RawResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Where the stack under test is: set by {@code ./crownest test} and {@code ./crownest bench}
 * (CROWNEST_ENV_FILE, CROWNEST_HOME, CROWNEST_TEST_*).
 */
public final class SystemUnderTest {
    /** The internal services in the order of their ports after the gateway's. */
    private static final List<String> INTERNAL_PORT_OFFSETS = List.of(
            "sandbox-service",
            "execution-worker",
            "node-agent",
            "metering-service",
            "billing-service",
            "audit-service");

    public static String env(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(name + " is not set: run the system tests with ./crownest test, "
                    + "which starts a whole stack and sets it");
        }
        return value;
    }

    /** How long one request of the tests' clients may take until its answer begins (a blocking run). */
    private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(5);

    /** The stack's tenant through the Java SDK: {@code CROWNEST_API_URL} and {@code CROWNEST_API_KEY} of the env file. */
    public static CrowNest client() {
        return client(Path.of(env("CROWNEST_ENV_FILE")));
    }

    /** The tenant of the env file {@code envFile} (a bench's {@code -Dcrownest.env-file}). */
    public static CrowNest client(Path envFile) {
        return CrowNest.builder()
                .envFile(readable(envFile))
                .requestTimeout(REQUEST_TIMEOUT)
                .build();
    }

    /** The platform operator ({@code CROWNEST_ADMIN_TOKEN} of the env file): a session, no API key. */
    public static CrowNest operator() {
        return withSession(envFile().getProperty("CROWNEST_ADMIN_TOKEN"));
    }

    /** A caller with another API key, e.g. one a test minted with fewer scopes. */
    public static CrowNest withKey(String apiKey) {
        return builder().apiKey(apiKey).build();
    }

    /** A session caller (a tenant admin's token), no API key. */
    public static CrowNest withSession(String token) {
        return builder().sessionToken(token).build();
    }

    /** A caller sending both an API key and a session token, as a confused client might. */
    public static CrowNest withKeyAndSession(String apiKey, String token) {
        return builder().apiKey(apiKey).sessionToken(token).build();
    }

    /** The gateway's URL, e.g. {@code http://127.0.0.1:8080}. */
    public static String apiUrl() {
        return envFile().getProperty("CROWNEST_API_URL");
    }

    /** The stack tenant's API key (what a bench hands to a load generator, or a test expects never to see echoed). */
    public static String apiKey() {
        return envFile().getProperty("CROWNEST_API_KEY");
    }

    /**
     * Creates a project of {@code tenantId} named {@code name} as the operator (a made-up {@code projectId}
     * is refused everywhere since issue 15) and answers its id.
     */
    public static String createProject(String tenantId, String name) {
        RawResponse created = operator().http().send("POST", "/v1/projects?tenantId=" + tenantId, Map.of("name", name));
        if (created.status() != 201) {
            throw new IllegalStateException("project " + name + " not created: " + created.text());
        }
        return created.field("id");
    }

    /**
     * A new tenant through {@code POST /v1/signup} (opened by the operator first: a fuzzed settings call may
     * have closed it), named {@code label} plus a random part, with an email of its own: the answer
     * {@code {tenantId, adminToken, apiKey, ...}}. It is on the free plan with the free credit.
     */
    public static JsonNode signUp(String label) {
        RawResponse opened = operator().http().send("PUT", "/v1/settings/signup", Map.of("enabled", true));
        if (opened.status() != 200) {
            throw new IllegalStateException("sign-up not opened: " + opened.text());
        }
        String name = label + "-" + UUID.randomUUID().toString().substring(0, 8);
        RawResponse answer = operator()
                .http()
                .anonymous()
                .send("POST", "/v1/signup", Map.of("name", name, "email", name + "@example.com"));
        if (answer.status() != 201) {
            throw new IllegalStateException("sign-up of " + name + " failed: " + answer.text());
        }
        return answer.json();
    }

    /** A client of this stack's gateway, nothing of it set yet but the URL and the tests' timeout. */
    private static CrowNest.Builder builder() {
        return CrowNest.builder().baseUrl(apiUrl()).requestTimeout(REQUEST_TIMEOUT);
    }

    private static Properties envFile() {
        Path file = readable(Path.of(env("CROWNEST_ENV_FILE")));
        Properties env = new Properties();
        try (var reader = Files.newBufferedReader(file)) {
            env.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return env;
    }

    private static Path readable(Path envFile) {
        if (!Files.isReadable(envFile)) {
            throw new IllegalStateException("cannot read " + envFile + "; is the platform up (./crownest up)?");
        }
        return envFile;
    }

    /**
     * The stack's service secret ({@code SERVICE_SECRET} in {@code CROWNEST_HOME/secrets}, which {@code up}
     * makes): the system tests and benches that call an internal service directly sign as a service does.
     * Read from CROWNEST_HOME, not the env file users source into their shells.
     */
    public static ServiceTokens serviceTokens() {
        return serviceTokens(Clock.systemUTC());
    }

    /** {@link #serviceTokens()} minting by {@code clock} (a test's expired token). */
    public static ServiceTokens serviceTokens(Clock clock) {
        Properties secrets = new Properties();
        Path file = Path.of(env("CROWNEST_HOME"), "secrets");
        try (var reader = Files.newBufferedReader(file)) {
            secrets.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + "; is the platform up (./crownest up)?", e);
        }
        return new ServiceTokens(secrets.getProperty("SERVICE_SECRET"), clock);
    }

    /** A token of the stack's service secret naming {@code service}, valid for five minutes. */
    public static String serviceToken(String service) {
        return serviceTokens().mint(service, Duration.ofMinutes(5));
    }

    /**
     * An internal service's base URL on this machine: the gateway's port plus the service's offset, as
     * {@code infra/scripts/stack.sh} ({@code service_port}) gives them.
     */
    public static URI internalUrl(String service) {
        int offset = INTERNAL_PORT_OFFSETS.indexOf(service) + 1;
        if (offset == 0) {
            throw new IllegalArgumentException("no internal service " + service + "; known: " + INTERNAL_PORT_OFFSETS);
        }
        int gateway = URI.create(apiUrl()).getPort();
        return URI.create("http://127.0.0.1:" + (gateway + offset));
    }

    public static String kafka() {
        return env("CROWNEST_TEST_KAFKA");
    }

    public static Connection database(String name) throws SQLException {
        return DriverManager.getConnection(
                env("CROWNEST_TEST_PG_URL") + name, env("CROWNEST_TEST_PG_USER"), env("CROWNEST_TEST_PG_PASSWORD"));
    }

    /**
     * Ids of the sandboxes of this stack's node that have a live gVisor sandbox process
     * ({@code runsc-sandbox ... --bundle=<node>/sandboxes/<id>/bundle}, or for a sandbox claimed from
     * the warm pool {@code --bundle=<node>/pool/<container>/bundle}, whose sandbox record names that
     * container). Read from /proc rather than {@code runsc list}, which waits on a container's lock
     * while runsc deletes it (seconds after its processes are gone).
     */
    public static Set<String> runningOnNode() {
        String node = env("CROWNEST_HOME") + "/node/";
        Set<String> bundles = new HashSet<>();
        try (var procs = Files.list(Path.of("/proc"))) {
            for (var proc : (Iterable<Path>) procs::iterator) {
                if (!proc.getFileName().toString().chars().allMatch(Character::isDigit)) {
                    continue;
                }
                String[] argv;
                try {
                    argv = new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8).split("\0");
                } catch (IOException gone) {
                    continue; // exited while we looked
                }
                if (argv.length == 0 || !argv[0].equals("runsc-sandbox")) {
                    continue;
                }
                for (String arg : argv) {
                    if (arg.startsWith("--bundle=" + node)) {
                        String rest = arg.substring(("--bundle=" + node).length());
                        String[] parts = rest.split("/");
                        if (parts.length >= 2) {
                            bundles.add(parts[0] + "/" + parts[1]); // sandboxes/<id> or pool/<container>
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Set<String> running = new HashSet<>();
        bundles.stream()
                .filter(b -> b.startsWith("sandboxes/"))
                .forEach(b -> running.add(b.substring("sandboxes/".length())));
        Path sandboxes = Path.of(node, "sandboxes");
        if (Files.isDirectory(sandboxes)) {
            try (var dirs = Files.list(sandboxes)) {
                for (var dir : (Iterable<Path>) dirs::iterator) {
                    var matcher = CONTAINER_ID.matcher(readQuietly(dir.resolve("sandbox.json")));
                    if (matcher.find() && bundles.contains("pool/" + matcher.group(1))) {
                        running.add(dir.getFileName().toString());
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return running;
    }

    private static final Pattern CONTAINER_ID = Pattern.compile("\"containerId\"\\s*:\\s*\"([a-z0-9_]+)\"");

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException gone) {
            return "";
        }
    }

    /** {@code ./crownest ARGS...} on the stack under test; answers its exit code. */
    public static int crownest(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(env("CROWNEST_ROOT"), "crownest").toString());
        command.addAll(List.of(args));
        return new ProcessBuilder(command).inheritIO().start().waitFor();
    }

    /**
     * Runs {@code steps} in a shell that sourced the stack's script ({@code infra/scripts/stack.sh}, with
     * this stack's environment), e.g. {@code kafka_start}; answers its exit code.
     */
    public static int stackScript(String steps) throws IOException, InterruptedException {
        Path script = Path.of(env("CROWNEST_ROOT"), "infra", "scripts", "stack.sh");
        return new ProcessBuilder("bash", "-c", "source '" + script + "' && " + steps)
                .inheritIO()
                .start()
                .waitFor();
    }

    /** Kills a process of the stack with SIGKILL, by its pid file ({@code CROWNEST_HOME/pids/NAME.pid}). */
    public static void killNine(String name) throws IOException {
        long pid = Long.parseLong(Files.readString(Path.of(env("CROWNEST_HOME"), "pids", name + ".pid"))
                .trim());
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        ProcessHandle.of(pid).ifPresent(process -> process.onExit().join());
    }

    private SystemUnderTest() {}
}
