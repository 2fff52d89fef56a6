package dev.crownest.sandbox.tenant;

import static dev.crownest.sandbox.readmodel.SqlTime.read;

import dev.crownest.contracts.api.TenantView;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Reads of {@code tenant_view}: the operator's list of tenants. */
@Repository
class TenantViews {
    private static final RowMapper<TenantView> ROWS = (rs, n) -> new TenantView(
            rs.getString("id"), rs.getString("name"), rs.getString("plan"), read(rs, "created_at"), null, null);

    private final JdbcClient jdbc;

    TenantViews(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<TenantView> find(String tenantId) {
        return jdbc.sql("SELECT * FROM tenant_view WHERE id = :id")
                .param("id", tenantId)
                .query(ROWS)
                .optional();
    }

    boolean nameTaken(String name) {
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM tenant_view WHERE lower(name) = lower(:name))")
                .param("name", name)
                .query(Boolean.class)
                .single();
    }

    List<TenantView> list(int limit) {
        return jdbc.sql("SELECT * FROM tenant_view ORDER BY created_at DESC, id DESC LIMIT :limit")
                .param("limit", limit)
                .query(ROWS)
                .list();
    }
}
