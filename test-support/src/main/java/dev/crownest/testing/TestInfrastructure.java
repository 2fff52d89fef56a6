package dev.crownest.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The real Kafka and PostgreSQL the integration tests use, from the environment that
 * {@code ./crownest test} sets. Missing coordinates fail the test: it never silently skips.
 */
public final class TestInfrastructure {
    private static final Set<String> CREATED = ConcurrentHashMap.newKeySet();

    /**
     * The service secret of every service a test starts ({@link IntegrationTest} sets it as
     * {@code crownest.service-auth.secret}); a test calling a service signs with that service's own
     * {@code ServiceCredential} bean.
     */
    public static final String SERVICE_SECRET = "test-service-secret-of-the-integration-tests-0123456789";

    private TestInfrastructure() {}

    public static String kafka() {
        return required("CROWNEST_TEST_KAFKA");
    }

    public static String pgUser() {
        return required("CROWNEST_TEST_PG_USER");
    }

    public static String pgPassword() {
        return required("CROWNEST_TEST_PG_PASSWORD");
    }

    /** Base URL ending in '/', e.g. jdbc:postgresql://127.0.0.1:15433/ */
    public static String pgUrl() {
        String url = required("CROWNEST_TEST_PG_URL");
        return url.endsWith("/") ? url : url + "/";
    }

    /** GET on a service under test as the gateway calls it: with a tenant header and a service token. */
    public static HttpResponse<String> getAsTenant(int port, String path, String tenant, String serviceToken)
            throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                .header("X-CrowNest-Tenant", tenant)
                                .header("X-CrowNest-Service-Token", serviceToken)
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    /** Creates a throwaway database and answers its name. */
    public static String createDatabase(String prefix) {
        String name = prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        execute("CREATE DATABASE " + name);
        CREATED.add(name);
        return name;
    }

    /** Drops every database {@link #createDatabase} made in this JVM. */
    public static void dropCreatedDatabases() {
        for (String name : CREATED) {
            execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            CREATED.remove(name);
        }
    }

    private static void execute(String sql) {
        try (Connection connection = DriverManager.getConnection(pgUrl() + "postgres", pgUser(), pgPassword());
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + pgUrl() + " refused: " + sql, e);
        }
    }

    private static String required(String variable) {
        String value = System.getenv(variable);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(variable + " is not set: integration tests need real Kafka and PostgreSQL "
                    + "(CROWNEST_TEST_KAFKA, CROWNEST_TEST_PG_URL, CROWNEST_TEST_PG_USER, CROWNEST_TEST_PG_PASSWORD); "
                    + "run them through ./crownest test or set these variables");
        }
        return value;
    }
}
