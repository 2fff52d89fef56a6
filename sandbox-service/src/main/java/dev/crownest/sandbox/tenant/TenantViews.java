package dev.crownest.sandbox.tenant;

import static dev.crownest.sandbox.readmodel.SqlTime.read;

import dev.crownest.contracts.api.TenantView;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Reads of {@code tenant_view}: the operator's list of tenants, and what sign-up and suspension check. */
@Repository
public class TenantViews {
    static final String ACTIVE = "active";
    static final String SUSPENDED = "suspended";

    private static final RowMapper<TenantView> ROWS = (rs, n) -> new TenantView(
            rs.getString("id"),
            rs.getString("name"),
            rs.getString("plan"),
            read(rs, "created_at"),
            null,
            null,
            rs.getString("status"),
            rs.getString("email"));

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

    boolean emailTaken(String email) {
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM tenant_view WHERE lower(email) = lower(:email))")
                .param("email", email)
                .query(Boolean.class)
                .single();
    }

    /** Whether the tenant is suspended now (the bootstrap tenant, which has no row, never is). */
    public boolean isSuspended(String tenantId) {
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM tenant_view WHERE id = :id AND status = :suspended)")
                .param("id", tenantId)
                .param("suspended", SUSPENDED)
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
