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
        return DriverManager.getConnection(env("CROWNEST_TEST_PG_URL") + name,
                env("CROWNEST_TEST_PG_USER"), env("CROWNEST_TEST_PG_PASSWORD"));
    }

    /** Ids of the sandboxes runsc runs on this stack's node right now. */
    public static java.util.Set<String> nodeSandboxes() {
        try {
            Process list = new ProcessBuilder("runsc", "--root", env("CROWNEST_HOME") + "/node/runsc", "list", "-quiet")
                    .redirectErrorStream(true).start();
            String out = new String(list.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            list.waitFor();
            return java.util.Set.copyOf(out.lines().map(String::trim).filter(l -> !l.isEmpty()).toList());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code ./crownest ARGS...} on the stack under test; answers its exit code. */
    public static int crownest(String... args) throws java.io.IOException, InterruptedException {
        java.util.List<String> command = new java.util.ArrayList<>();
        command.add(java.nio.file.Path.of(env("CROWNEST_ROOT"), "crownest").toString());
        command.addAll(java.util.List.of(args));
        return new ProcessBuilder(command).inheritIO().start().waitFor();
    }

    private SystemUnderTest() {
    }
}
