package dev.crownest.systemtest;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/** Where the stack under test is: set by {@code ./crownest test} (CROWNEST_ENV_FILE, CROWNEST_TEST_*). */
final class SystemUnderTest {

    static String env(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(name + " is not set: run the system tests with ./crownest test, "
                    + "which starts a whole stack and sets it");
        }
        return value;
    }

    static PlatformClient client() {
        return PlatformClient.fromEnvFile(Path.of(env("CROWNEST_ENV_FILE")));
    }

    static String kafka() {
        return env("CROWNEST_TEST_KAFKA");
    }

    static Connection database(String name) throws SQLException {
        return DriverManager.getConnection(env("CROWNEST_TEST_PG_URL") + name,
                env("CROWNEST_TEST_PG_USER"), env("CROWNEST_TEST_PG_PASSWORD"));
    }

    private SystemUnderTest() {
    }
}
