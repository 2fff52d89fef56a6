package dev.crownest.audit.log;

import java.io.IOException;
import java.io.StringReader;
import java.sql.SQLException;
import java.util.List;
import org.postgresql.PGConnection;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Writes a batch's {@code audit_event} rows with one {@code COPY ... FROM STDIN} (PostgreSQL's
 * CopyManager) on the transaction's connection: no SQL text to parse per row and one round trip per
 * batch, where a batched multi-row INSERT spent its time building and parsing statements. The writer
 * role needs only INSERT for it, and the append-only triggers and constraints apply as for an INSERT;
 * a failure is translated as any JDBC error is, so the consumer tells a passing one from one that
 * does not pass.
 */
@Component
class AuditEventCopy {
    /** The columns of a row, in order; each value's {@code toString()} is its text. */
    static final String COPY = """
            COPY audit_event (tenant_id, seq, event_id, action, resource_id, actor, occurred_at, payload, prev_hash, hash)
            FROM STDIN""";

    private final JdbcTemplate jdbc;

    AuditEventCopy(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Appends the rows in the caller's transaction. */
    void copy(List<Object[]> rows) {
        StringBuilder text = new StringBuilder(rows.size() * 768);
        for (Object[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                if (i > 0) {
                    text.append('\t');
                }
                field(text, row[i].toString());
            }
            text.append('\n');
        }
        jdbc.execute((ConnectionCallback<Long>) connection -> {
            try {
                return connection
                        .unwrap(PGConnection.class)
                        .getCopyAPI()
                        .copyIn(COPY, new StringReader(text.toString()));
            } catch (IOException e) {
                throw new SQLException("COPY audit_event could not be written", "08006", e);
            }
        });
    }

    /** A value in COPY's text format: backslash, tab, newline and carriage return escaped. */
    private static void field(StringBuilder text, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> text.append("\\\\");
                case '\t' -> text.append("\\t");
                case '\n' -> text.append("\\n");
                case '\r' -> text.append("\\r");
                default -> text.append(c);
            }
        }
    }
}
