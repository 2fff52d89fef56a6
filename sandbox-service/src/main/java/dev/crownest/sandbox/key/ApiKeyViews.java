package dev.crownest.sandbox.key;

import static dev.crownest.sandbox.readmodel.SqlTime.read;

import dev.crownest.contracts.api.KeyView;
import java.sql.Array;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Reads of {@code api_key_view}. What leaves here never carries the secret hash. */
@Repository
class ApiKeyViews {
    private static final RowMapper<KeyView> ROWS = (rs, n) -> new KeyView(
            rs.getString("id"),
            rs.getString("name"),
            strings(rs.getArray("scopes")),
            rs.getString("project_id"),
            rs.getString("status"),
            read(rs, "created_at"),
            read(rs, "revoked_at"),
            rs.getString("created_by"),
            null);

    private final JdbcClient jdbc;

    ApiKeyViews(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    boolean existsWithHash(String secretHash) {
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM api_key_view WHERE secret_hash = :hash)")
                .param("hash", secretHash)
                .query(Boolean.class)
                .single();
    }

    /** The key if {@code tenantId} owns it; another tenant's key is simply not found. */
    Optional<KeyView> find(String tenantId, String keyId) {
        return jdbc.sql("SELECT * FROM api_key_view WHERE id = :id AND tenant_id = :tenant")
                .param("id", keyId)
                .param("tenant", tenantId)
                .query(ROWS)
                .optional();
    }

    /** Newest first; {@code status} null for all. */
    List<KeyView> list(String tenantId, String status, int limit) {
        return jdbc.sql("""
                        SELECT * FROM api_key_view WHERE tenant_id = :tenant
                          AND (CAST(:status AS VARCHAR) IS NULL OR status = :status)
                        ORDER BY created_at DESC, id DESC LIMIT :limit""")
                .param("tenant", tenantId)
                .param("status", status)
                .param("limit", limit)
                .query(ROWS)
                .list();
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }
}
