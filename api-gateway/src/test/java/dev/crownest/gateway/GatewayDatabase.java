package dev.crownest.gateway;

import dev.crownest.testing.TestInfrastructure;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.springframework.test.context.DynamicPropertyRegistry;

/** The gateway's own database (idempotency records) for a test context: a throwaway one on the real PostgreSQL. */
final class GatewayDatabase {
    private final String name;

    private GatewayDatabase(String name) {
        this.name = name;
    }

    static GatewayDatabase register(DynamicPropertyRegistry registry) {
        String database = TestInfrastructure.createDatabase("gateway_test_");
        registry.add("spring.r2dbc.url", () -> TestInfrastructure.pgUrl().replaceFirst("^jdbc:", "r2dbc:") + database);
        registry.add("spring.r2dbc.username", TestInfrastructure::pgUser);
        registry.add("spring.r2dbc.password", TestInfrastructure::pgPassword);
        registry.add("spring.flyway.url", () -> TestInfrastructure.pgUrl() + database);
        registry.add("spring.flyway.user", TestInfrastructure::pgUser);
        registry.add("spring.flyway.password", TestInfrastructure::pgPassword);
        return new GatewayDatabase(database);
    }

    /** Every stored idempotent answer body as text, to look for what must never be stored. */
    String storedBodies() throws SQLException {
        StringBuilder all = new StringBuilder();
        try (Connection c = DriverManager.getConnection(
                        TestInfrastructure.pgUrl() + name,
                        TestInfrastructure.pgUser(),
                        TestInfrastructure.pgPassword());
                ResultSet rows = c.createStatement()
                        .executeQuery(
                                "SELECT convert_from(body, 'UTF8') FROM idempotency_record WHERE body IS NOT NULL")) {
            while (rows.next()) {
                all.append(rows.getString(1)).append('\n');
            }
        }
        return all.toString();
    }
}
