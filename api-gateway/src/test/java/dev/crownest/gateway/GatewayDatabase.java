package dev.crownest.gateway;

import dev.crownest.testing.TestInfrastructure;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;

/** The gateway's own database (idempotency records) as a test reads it. */
final class GatewayDatabase {

    private GatewayDatabase() {}

    /** Every stored idempotent answer body as text, to look for what must never be stored. */
    static String storedBodies(String jdbcUrl) throws SQLException {
        StringBuilder all = new StringBuilder();
        try (Connection c = DriverManager.getConnection(
                        jdbcUrl, TestInfrastructure.pgUser(), TestInfrastructure.pgPassword());
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
