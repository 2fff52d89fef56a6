package dev.crownest.sandbox.project;

import static dev.crownest.sandbox.readmodel.SqlTime.read;

import dev.crownest.contracts.api.ProjectView;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Reads of {@code project_view}, always within one tenant. */
@Repository
public class ProjectViews {
    private static final RowMapper<ProjectView> ROWS = (rs, n) -> new ProjectView(
            rs.getString("id"), rs.getString("name"), read(rs, "created_at"), rs.getString("created_by"));

    private final JdbcClient jdbc;

    ProjectViews(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The project if {@code tenantId} owns it; another tenant's project is simply not found. */
    public Optional<ProjectView> find(String tenantId, String projectId) {
        return jdbc.sql("SELECT * FROM project_view WHERE id = :id AND tenant_id = :tenant")
                .param("id", projectId)
                .param("tenant", tenantId)
                .query(ROWS)
                .optional();
    }

    boolean nameTaken(String tenantId, String name) {
        return jdbc.sql(
                        "SELECT EXISTS (SELECT 1 FROM project_view WHERE tenant_id = :tenant AND lower(name) = lower(:name))")
                .param("tenant", tenantId)
                .param("name", name)
                .query(Boolean.class)
                .single();
    }

    List<ProjectView> list(String tenantId, int limit) {
        return jdbc.sql(
                        "SELECT * FROM project_view WHERE tenant_id = :tenant ORDER BY created_at DESC, id DESC LIMIT :limit")
                .param("tenant", tenantId)
                .param("limit", limit)
                .query(ROWS)
                .list();
    }
}
