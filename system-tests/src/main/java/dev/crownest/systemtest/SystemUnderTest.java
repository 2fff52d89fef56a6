package dev.crownest.systemtest;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * Where the stack under test is: set by {@code ./crownest test} and {@code ./crownest bench}
 * (CROWNEST_ENV_FILE, CROWNEST_HOME, CROWNEST_TEST_*).
 */
public final class SystemUnderTest {

    public static String env(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(name + " is not set: run the system tests with ./crownest test, "
                    + "which starts a whole stack and sets it");
        }
        return value;
    }

    public static PlatformClient operator() {
        return PlatformClient.operatorFromEnvFile(Path.of(env("CROWNEST_ENV_FILE")));
    }

    public static PlatformClient client() {
        return PlatformClient.fromEnvFile(Path.of(env("CROWNEST_ENV_FILE")));
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
    public static java.util.Set<String> runningOnNode() {
        String node = env("CROWNEST_HOME") + "/node/";
        java.util.Set<String> bundles = new java.util.HashSet<>();
        try (var procs = java.nio.file.Files.list(java.nio.file.Path.of("/proc"))) {
            for (var proc : (Iterable<java.nio.file.Path>) procs::iterator) {
                if (!proc.getFileName().toString().chars().allMatch(Character::isDigit)) {
                    continue;
                }
                String[] argv;
                try {
                    argv = new String(
                                    java.nio.file.Files.readAllBytes(proc.resolve("cmdline")),
                                    java.nio.charset.StandardCharsets.UTF_8)
                            .split("\0");
                } catch (java.io.IOException gone) {
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
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        java.util.Set<String> running = new java.util.HashSet<>();
        bundles.stream()
                .filter(b -> b.startsWith("sandboxes/"))
                .forEach(b -> running.add(b.substring("sandboxes/".length())));
        java.nio.file.Path sandboxes = java.nio.file.Path.of(node, "sandboxes");
        if (java.nio.file.Files.isDirectory(sandboxes)) {
            try (var dirs = java.nio.file.Files.list(sandboxes)) {
                for (var dir : (Iterable<java.nio.file.Path>) dirs::iterator) {
                    var matcher = CONTAINER_ID.matcher(readQuietly(dir.resolve("sandbox.json")));
                    if (matcher.find() && bundles.contains("pool/" + matcher.group(1))) {
                        running.add(dir.getFileName().toString());
                    }
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return running;
    }

    private static final java.util.regex.Pattern CONTAINER_ID =
            java.util.regex.Pattern.compile("\"containerId\"\\s*:\\s*\"([a-z0-9_]+)\"");

    private static String readQuietly(java.nio.file.Path file) {
        try {
            return java.nio.file.Files.readString(file);
        } catch (java.io.IOException gone) {
            return "";
        }
    }

    /** {@code ./crownest ARGS...} on the stack under test; answers its exit code. */
    public static int crownest(String... args) throws java.io.IOException, InterruptedException {
        java.util.List<String> command = new java.util.ArrayList<>();
        command.add(java.nio.file.Path.of(env("CROWNEST_ROOT"), "crownest").toString());
        command.addAll(java.util.List.of(args));
        return new ProcessBuilder(command).inheritIO().start().waitFor();
    }

    private SystemUnderTest() {}
}
