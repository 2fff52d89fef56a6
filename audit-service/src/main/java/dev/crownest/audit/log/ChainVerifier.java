package dev.crownest.audit.log;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Recomputes a tenant's chain from the stored rows, streaming them through a server-side cursor,
 * and checks that the chain head agrees with the last row (so rows cut off the end are caught too).
 */
@Component
public class ChainVerifier {
    /** Outcome of a verification; {@code firstInvalidSeq} is {@code null} when the chain is valid. */
    public record Verification(boolean valid, long checked, Long firstInvalidSeq) {}

    private final JdbcTemplate jdbc;
    private final CanonicalJson canonical;

    public ChainVerifier(DataSource dataSource, CanonicalJson canonical) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.jdbc.setFetchSize(1000);
        this.canonical = canonical;
    }

    // Repeatable read: the head and the rows are read from one snapshot while appends go on.
    @Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
    public Verification verify(String tenant) {
        List<long[]> head = jdbc.query(
                "SELECT seq FROM audit_chain_head WHERE tenant_id = ?",
                (rs, i) -> new long[] {rs.getLong("seq")},
                tenant);
        Walk walk = new Walk(tenant);
        jdbc.query("""
                SELECT seq, event_id::text AS event_id, action, resource_id, actor, occurred_at, payload::text AS payload, prev_hash, hash
                FROM audit_event WHERE tenant_id = ? ORDER BY seq""", walk::row, tenant);
        if (walk.firstInvalid == null && !head.isEmpty() && head.getFirst()[0] != walk.expectedSeq - 1) {
            walk.firstInvalid = walk.expectedSeq;
        }
        return new Verification(walk.firstInvalid == null, walk.checked, walk.firstInvalid);
    }

    private final class Walk {
        final String tenant;
        String prev = AuditChain.GENESIS;
        long expectedSeq = 1;
        long checked;
        Long firstInvalid;

        Walk(String tenant) {
            this.tenant = tenant;
        }

        void row(ResultSet rs) throws SQLException {
            checked++;
            if (firstInvalid != null) {
                return;
            }
            long seq = rs.getLong("seq");
            String payload;
            try {
                payload = canonical.ofText(rs.getString("payload"));
            } catch (JsonProcessingException e) {
                firstInvalid = seq;
                return;
            }
            String occurredAt = rs.getTimestamp("occurred_at").toInstant().toString();
            String hash = AuditChain.hash(
                    prev,
                    tenant,
                    seq,
                    rs.getString("event_id"),
                    rs.getString("action"),
                    rs.getString("resource_id"),
                    rs.getString("actor"),
                    occurredAt,
                    payload);
            if (seq != expectedSeq
                    || !prev.equals(rs.getString("prev_hash").trim())
                    || !hash.equals(rs.getString("hash").trim())) {
                firstInvalid = seq;
                return;
            }
            prev = hash;
            expectedSeq++;
        }
    }
}
