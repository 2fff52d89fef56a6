package dev.crownest.sandbox.preview;

import dev.crownest.contracts.api.PreviewTarget;
import dev.crownest.contracts.api.PreviewView;
import dev.crownest.sandbox.readmodel.SqlTime;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Reads of {@code preview_view}, always within a tenant's sandbox (or by id for the gateway's proxy). */
@Component
public class PreviewViews {
    private final JdbcClient jdbc;

    PreviewViews(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<PreviewView> find(String sandboxId, String previewId) {
        return jdbc.sql("SELECT * FROM preview_view WHERE id = :id AND sandbox_id = :sandbox")
                .param("id", previewId)
                .param("sandbox", sandboxId)
                .query(PreviewViews::view)
                .optional();
    }

    Optional<PreviewView> active(String sandboxId, int port) {
        return jdbc.sql("SELECT * FROM preview_view WHERE sandbox_id = :sandbox AND port = :port AND status = 'active'")
                .param("sandbox", sandboxId)
                .param("port", port)
                .query(PreviewViews::view)
                .optional();
    }

    List<PreviewView> list(String sandboxId, String status) {
        return jdbc.sql("""
                        SELECT * FROM preview_view WHERE sandbox_id = :sandbox AND (CAST(:status AS VARCHAR) IS NULL OR status = :status)
                        ORDER BY created_at DESC, id DESC LIMIT 1000""")
                .param("sandbox", sandboxId)
                .param("status", status)
                .query(PreviewViews::view)
                .list();
    }

    /** Ids of the active previews of a sandbox (to close when it ends). */
    List<String> activeIds(String sandboxId) {
        return jdbc.sql("SELECT id FROM preview_view WHERE sandbox_id = :sandbox AND status = 'active'")
                .param("sandbox", sandboxId)
                .query(String.class)
                .list();
    }

    /**
     * The preview of a sandbox's port with its sandbox's state, for the gateway (which serves it on the
     * port's own host): the active one, else the latest closed one. No tenant filter (the gateway checks it).
     */
    Optional<PreviewTarget> target(String sandboxId, int port) {
        return jdbc.sql("""
                        SELECT p.id, p.tenant_id, p.project_id, p.sandbox_id, p.port, p.status, s.status AS sandbox_status, s.node_id
                        FROM preview_view p JOIN sandbox_view s ON s.id = p.sandbox_id
                        WHERE p.sandbox_id = :sandbox AND p.port = :port
                        ORDER BY (p.status = 'active') DESC, p.created_at DESC, p.id DESC LIMIT 1""")
                .param("sandbox", sandboxId)
                .param("port", port)
                .query((rs, n) -> new PreviewTarget(
                        rs.getString("id"),
                        rs.getString("tenant_id"),
                        rs.getString("project_id"),
                        rs.getString("sandbox_id"),
                        rs.getInt("port"),
                        rs.getString("status"),
                        rs.getString("sandbox_status"),
                        rs.getString("node_id")))
                .optional();
    }

    private static PreviewView view(ResultSet rs, int row) throws SQLException {
        String id = rs.getString("id");
        return new PreviewView(
                id,
                rs.getString("sandbox_id"),
                rs.getString("project_id"),
                rs.getInt("port"),
                rs.getString("status"),
                null,
                SqlTime.read(rs, "created_at"),
                SqlTime.read(rs, "closed_at"));
    }
}
