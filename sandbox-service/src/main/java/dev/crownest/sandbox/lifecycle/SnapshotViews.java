package dev.crownest.sandbox.lifecycle;

import static dev.crownest.sandbox.readmodel.SqlTime.read;

import dev.crownest.contracts.api.ApiException;
import dev.crownest.contracts.api.Page;
import dev.crownest.contracts.api.SnapshotView;
import dev.crownest.sandbox.web.PageCursor;
import java.util.Optional;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Reads of {@code snapshot_view}, always by tenant (and project when the caller is restricted to one):
 * another tenant's snapshot is simply not found.
 */
@Repository
public class SnapshotViews {
    private static final RowMapper<SnapshotView> ROWS = (rs, n) -> new SnapshotView(
            rs.getString("id"),
            rs.getString("sandbox_id"),
            TemplateNames.shown(rs),
            rs.getString("status"),
            read(rs, "created_at"),
            rs.getObject("size_bytes") == null ? null : rs.getLong("size_bytes"),
            rs.getString("project_id"));

    private final JdbcClient jdbc;

    SnapshotViews(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The snapshot if {@code tenantId} (and {@code projectId}, when not null) owns it, whatever its status. */
    public Optional<SnapshotView> find(String tenantId, String projectId, String snapshotId) {
        return jdbc.sql("""
                        SELECT *, %s FROM snapshot_view
                        WHERE id = :id AND tenant_id = :tenant AND (CAST(:project AS VARCHAR) IS NULL OR project_id = :project)""".formatted(TemplateNames.column("snapshot_view")))
                .param("id", snapshotId)
                .param("tenant", tenantId)
                .param("project", projectId)
                .query(ROWS)
                .optional();
    }

    /** The caller's snapshot, not deleted: 404 {@code snapshot_not_found}, 410 {@code snapshot_gone}. */
    public SnapshotView require(String tenantId, String projectId, String snapshotId) {
        SnapshotView snapshot = find(tenantId, projectId, snapshotId)
                .orElseThrow(() -> ApiException.notFound("snapshot_not_found", "no snapshot " + snapshotId));
        if ("deleted".equals(snapshot.status())) {
            throw ApiException.gone("snapshot_gone", "snapshot " + snapshotId + " was deleted");
        }
        return snapshot;
    }

    /** A page of the tenant's snapshots not deleted, newest first, optionally of one sandbox. */
    public Page<SnapshotView> list(String tenantId, String projectId, String sandboxId, PageCursor cursor, int limit) {
        return PageCursor.page(
                jdbc.sql("""
                        SELECT *, %s FROM snapshot_view
                        WHERE tenant_id = :tenant AND status <> 'deleted'
                          AND (CAST(:project AS VARCHAR) IS NULL OR project_id = :project)
                          AND (CAST(:sandbox AS VARCHAR) IS NULL OR sandbox_id = :sandbox)
                          AND (CAST(:cursorAt AS TIMESTAMPTZ) IS NULL OR (created_at, id) < (:cursorAt, :cursorId))
                        ORDER BY created_at DESC, id DESC
                        LIMIT :limit""".formatted(TemplateNames.column("snapshot_view")))
                        .param("tenant", tenantId)
                        .param("project", projectId)
                        .param("sandbox", sandboxId),
                "created_at",
                ROWS,
                cursor,
                limit);
    }
}
