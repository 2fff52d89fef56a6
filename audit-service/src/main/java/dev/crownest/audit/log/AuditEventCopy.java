package dev.crownest.audit.log;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
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
 *
 * <p>Rows are sent while the caller still makes the next ones ({@link #copy}): PostgreSQL inserts a
 * chunk (parsing the JSONB, updating seven indexes) on one core while this service hashes the next on
 * the other, instead of each waiting for the other with the whole batch.
 */
@Component
class AuditEventCopy {
    /** The columns of a row, in order; each value's {@code toString()} is its text. */
    static final String COPY = """
            COPY audit_event (tenant_id, seq, event_id, action, resource_id, actor, occurred_at, payload, prev_hash, hash)
            FROM STDIN""";

    /** Characters of rows gathered before they are sent: large enough for few writes, small enough to overlap. */
    private static final int CHUNK_CHARS = 64 * 1024;

    private final JdbcTemplate jdbc;

    AuditEventCopy(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Runs {@code rows} in the caller's transaction with a COPY open: each row it gives the sink is
     * on its way to PostgreSQL soon after. Answers the number of rows copied.
     */
    long copy(Consumer<Consumer<Object[]>> rows) {
        return jdbc.execute((ConnectionCallback<Long>) connection -> {
            CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(COPY);
            try {
                StringBuilder text = new StringBuilder(CHUNK_CHARS + 4096);
                SqlSink sink = new SqlSink(copy, text);
                try {
                    rows.accept(sink);
                    sink.flush();
                } catch (CopyFailed e) {
                    throw e.getCause(); // translated by JdbcTemplate as any JDBC error
                }
                return copy.endCopy();
            } finally {
                if (copy.isActive()) { // the caller failed mid-batch: leave the connection usable for the rollback
                    copy.cancelCopy();
                }
            }
        });
    }

    /** Rows in COPY's text format, sent a chunk at a time. */
    private record SqlSink(CopyIn copy, StringBuilder text) implements Consumer<Object[]> {
        @Override
        public void accept(Object[] row) {
            for (int i = 0; i < row.length; i++) {
                if (i > 0) {
                    text.append('\t');
                }
                field(text, row[i].toString());
            }
            text.append('\n');
            if (text.length() >= CHUNK_CHARS) {
                flush();
            }
        }

        void flush() {
            if (text.isEmpty()) {
                return;
            }
            byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
            text.setLength(0);
            try {
                copy.writeToCopy(bytes, 0, bytes.length);
            } catch (SQLException e) {
                throw new CopyFailed(e);
            }
        }
    }

    /** A value in COPY's text format: backslash, tab, newline and carriage return escaped. */
    private static void field(StringBuilder text, String value) {
        int start = 0;
        for (int i = 0; i < value.length(); i++) {
            String escape = switch (value.charAt(i)) {
                case '\\' -> "\\\\";
                case '\t' -> "\\t";
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                default -> null;
            };
            if (escape != null) {
                // runs between escapes go in whole: appending char by char was a quarter of this service's CPU
                text.append(value, start, i).append(escape);
                start = i + 1;
            }
        }
        text.append(value, start, value.length());
    }

    /** A chunk PostgreSQL did not take, carried out of the caller's row loop. */
    private static final class CopyFailed extends RuntimeException {
        CopyFailed(SQLException cause) {
            super(cause);
        }

        @Override
        public synchronized SQLException getCause() {
            return (SQLException) super.getCause();
        }
    }
}
