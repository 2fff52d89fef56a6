package dev.crownest.sandbox.command;

import static dev.crownest.sandbox.readmodel.SqlTime.read;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crownest.contracts.api.ArtifactView;
import dev.crownest.contracts.api.CollectError;
import dev.crownest.contracts.api.CollectFile;
import dev.crownest.contracts.api.CommandView;
import dev.crownest.contracts.api.Page;
import dev.crownest.sandbox.artifact.ArtifactViews;
import dev.crownest.sandbox.web.PageCursor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Reads of {@code command_view}, always within one tenant's sandbox; with each command's artifacts. */
@Repository
class CommandViews {
    private static final TypeReference<List<CollectFile>> COLLECT = new TypeReference<>() {};
    private static final TypeReference<List<CollectError>> COLLECT_ERRORS = new TypeReference<>() {};

    private final RowMapper<CommandView> rows = (rs, n) -> new CommandView(
            rs.getString("id"),
            rs.getString("sandbox_id"),
            rs.getString("cmd"),
            rs.getString("cwd"),
            rs.getString("status"),
            (Integer) rs.getObject("exit_code"),
            rs.getString("stdout"),
            rs.getString("stderr"),
            rs.getBoolean("truncated"),
            rs.getBoolean("timed_out"),
            rs.getBoolean("cancelled"),
            read(rs, "started_at"),
            read(rs, "finished_at"),
            rs.getObject("duration_ms") == null ? null : rs.getLong("duration_ms"),
            list(rs, "collect", COLLECT),
            List.of(),
            list(rs, "collect_errors", COLLECT_ERRORS));

    private final JdbcClient jdbc;
    private final ArtifactViews artifacts;
    private final ObjectMapper json;

    CommandViews(JdbcClient jdbc, ArtifactViews artifacts, ObjectMapper json) {
        this.jdbc = jdbc;
        this.artifacts = artifacts;
        this.json = json;
    }

    Optional<CommandView> find(String tenantId, String sandboxId, String commandId) {
        return jdbc.sql("SELECT * FROM command_view WHERE id = :id AND tenant_id = :tenant AND sandbox_id = :sandbox")
                .param("id", commandId)
                .param("tenant", tenantId)
                .param("sandbox", sandboxId)
                .query(rows)
                .optional()
                .map(view -> withArtifacts(tenantId, List.of(view)).getFirst());
    }

    /** Unscoped, for the execution worker's reports. */
    Optional<CommandView> find(String commandId) {
        return jdbc.sql("SELECT tenant_id, sandbox_id FROM command_view WHERE id = :id")
                .param("id", commandId)
                .query((rs, n) -> new String[] {rs.getString("tenant_id"), rs.getString("sandbox_id")})
                .optional()
                .flatMap(owner -> find(owner[0], owner[1], commandId));
    }

    /** A page of the sandbox's commands, newest first. */
    Page<CommandView> list(String tenantId, String sandboxId, PageCursor cursor, int limit) {
        Page<CommandView> page = PageCursor.page(
                jdbc.sql("""
                        SELECT * FROM command_view WHERE tenant_id = :tenant AND sandbox_id = :sandbox
                          AND (CAST(:cursorAt AS TIMESTAMPTZ) IS NULL OR (accepted_at, id) < (:cursorAt, :cursorId))
                        ORDER BY accepted_at DESC, id DESC LIMIT :limit""").param("tenant", tenantId).param("sandbox", sandboxId),
                "accepted_at",
                rows,
                cursor,
                limit);
        return new Page<>(withArtifacts(tenantId, page.data()), page.nextCursor());
    }

    /** The views with their artifacts, read in one query for the lot. */
    private List<CommandView> withArtifacts(String tenantId, List<CommandView> views) {
        if (views.stream().allMatch(view -> view.collect().isEmpty())) {
            return views;
        }
        Map<String, List<ArtifactView>> byCommand = artifacts.ofCommands(
                tenantId, views.stream().map(CommandView::id).toList());
        return views.stream()
                .map(v -> new CommandView(
                        v.id(),
                        v.sandboxId(),
                        v.cmd(),
                        v.cwd(),
                        v.status(),
                        v.exitCode(),
                        v.stdout(),
                        v.stderr(),
                        v.truncated(),
                        v.timedOut(),
                        v.cancelled(),
                        v.startedAt(),
                        v.finishedAt(),
                        v.durationMs(),
                        v.collect(),
                        byCommand.getOrDefault(v.id(), List.of()),
                        v.collectErrors()))
                .toList();
    }

    private <T> List<T> list(ResultSet rs, String column, TypeReference<List<T>> type) throws SQLException {
        String value = rs.getString(column);
        if (value == null) {
            return List.of();
        }
        try {
            return json.readValue(value, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
