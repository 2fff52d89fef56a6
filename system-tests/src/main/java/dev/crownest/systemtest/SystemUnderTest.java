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

    /**
     * Ids of the sandboxes whose processes run on this stack's node right now. A killed container is
     * {@code stopped} at once; runsc's cleanup of it (delete) takes a while longer and is not counted.
     */
    public static java.util.Set<String> runningOnNode() {
        try {
            Process list = new ProcessBuilder("runsc", "--root", env("CROWNEST_HOME") + "/node/runsc", "list", "-format=json")
                    .redirectErrorStream(true).start();
            byte[] out = list.getInputStream().readAllBytes();
            list.waitFor();
            var containers = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out);
            java.util.Set<String> running = new java.util.HashSet<>();
            for (var c : containers) {
                if ("running".equals(c.path("status").asText())) {
                    running.add(c.path("id").asText());
                }
            }
            return running;
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
