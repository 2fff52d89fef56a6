package dev.crownest.sandbox.artifact;

import static dev.crownest.sandbox.readmodel.SqlTime.read;

import dev.crownest.contracts.api.ArtifactView;
import dev.crownest.contracts.api.Page;
import dev.crownest.sandbox.web.PageCursor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Reads of {@code artifact_view}, the artifact index; every read names the tenant. */
@Repository
public class ArtifactViews {
    private static final RowMapper<ArtifactView> ROWS = (rs, n) -> new ArtifactView(
            rs.getString("id"),
            rs.getString("sandbox_id"),
            rs.getString("command_id"),
            rs.getString("project_id"),
            rs.getString("name"),
            rs.getString("path"),
            rs.getLong("size"),
            rs.getString("sha256"),
            rs.getString("content_type"),
            read(rs, "created_at"));

    /** An indexed artifact and where its content is. */
    public record Stored(ArtifactView view, String storageKey) {}

    /** The command an upload is for: its owner, whether it still runs, and the paths it declared. */
    record CommandOfUpload(String tenantId, String sandboxId, boolean finished, String collectJson) {}

    private final JdbcClient jdbc;

    ArtifactViews(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<CommandOfUpload> commandOf(String commandId) {
        return jdbc.sql("SELECT tenant_id, sandbox_id, status, collect FROM command_view WHERE id = :id")
                .param("id", commandId)
                .query((rs, n) -> new CommandOfUpload(
                        rs.getString("tenant_id"),
                        rs.getString("sandbox_id"),
                        "finished".equals(rs.getString("status")),
                        rs.getString("collect")))
                .optional();
    }

    Optional<Stored> find(String tenantId, String sandboxId, String artifactId) {
        return jdbc.sql("SELECT * FROM artifact_view WHERE id = :id AND tenant_id = :tenant AND sandbox_id = :sandbox")
                .param("id", artifactId)
                .param("tenant", tenantId)
                .param("sandbox", sandboxId)
                .query((rs, n) -> new Stored(ROWS.mapRow(rs, n), rs.getString("storage_key")))
                .optional();
    }

    /** The artifact of a command's path, if it was collected (uploads are idempotent by it). */
    Optional<ArtifactView> findByPath(String commandId, String path) {
        return jdbc.sql("SELECT * FROM artifact_view WHERE command_id = :command AND path = :path")
                .param("command", commandId)
                .param("path", path)
                .query(ROWS)
                .optional();
    }

    /** A page of the sandbox's artifacts, newest first; {@code commandId} narrows it to one command. */
    Page<ArtifactView> list(String tenantId, String sandboxId, String commandId, PageCursor cursor, int limit) {
        return PageCursor.page(
                jdbc.sql("""
                        SELECT * FROM artifact_view WHERE tenant_id = :tenant AND sandbox_id = :sandbox
                          AND (CAST(:command AS VARCHAR) IS NULL OR command_id = :command)
                          AND (CAST(:cursorAt AS TIMESTAMPTZ) IS NULL OR (created_at, id) < (:cursorAt, :cursorId))
                        ORDER BY created_at DESC, id DESC LIMIT :limit""")
                        .param("tenant", tenantId)
                        .param("sandbox", sandboxId)
                        .param("command", commandId),
                "created_at",
                ROWS,
                cursor,
                limit);
    }

    /** The artifacts of each of these commands of one tenant, in the order they were collected. */
    public Map<String, List<ArtifactView>> ofCommands(String tenantId, Collection<String> commandIds) {
        Map<String, List<ArtifactView>> byCommand = new LinkedHashMap<>();
        if (commandIds.isEmpty()) {
            return byCommand;
        }
        jdbc.sql("""
                        SELECT * FROM artifact_view WHERE tenant_id = :tenant AND command_id IN (:commands)
                        ORDER BY created_at, id""")
                .param("tenant", tenantId)
                .param("commands", List.copyOf(commandIds))
                .query(ROWS)
                .list()
                .forEach(artifact -> byCommand
                        .computeIfAbsent(artifact.commandId(), c -> new ArrayList<>())
                        .add(artifact));
        return byCommand;
    }
}
