package dev.crownest.sandbox.command;

import dev.crownest.contracts.api.CommandView;
import dev.crownest.contracts.api.Page;
import dev.crownest.sandbox.shared.PageCursor;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.util.List;
import java.util.Optional;

import static dev.crownest.sandbox.shared.SqlTime.read;

/** Reads of {@code command_view}, always within one tenant's sandbox. */
@Repository
class CommandViews {
    private static final RowMapper<CommandView> ROWS = (rs, n) -> new CommandView(rs.getString("id"),
            rs.getString("sandbox_id"), rs.getString("cmd"), rs.getString("cwd"), rs.getString("status"),
            (Integer) rs.getObject("exit_code"), rs.getString("stdout"), rs.getString("stderr"),
            rs.getBoolean("truncated"), rs.getBoolean("timed_out"), rs.getBoolean("cancelled"), read(rs, "started_at"),
            read(rs, "finished_at"), rs.getObject("duration_ms") == null ? null : rs.getLong("duration_ms"));

    private final JdbcClient jdbc;

    CommandViews(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<CommandView> find(String tenantId, String sandboxId, String commandId) {
        return jdbc.sql("SELECT * FROM command_view WHERE id = :id AND tenant_id = :tenant AND sandbox_id = :sandbox")
                .param("id", commandId)
                .param("tenant", tenantId)
                .param("sandbox", sandboxId)
                .query(ROWS)
                .optional();
    }

    /** Unscoped, for the execution worker's reports. */
    Optional<CommandView> find(String commandId) {
        return jdbc.sql("SELECT * FROM command_view WHERE id = :id").param("id", commandId).query(ROWS).optional();
    }

    /** A page of the sandbox's commands, newest first. */
    Page<CommandView> list(String tenantId, String sandboxId, PageCursor cursor, int limit) {
        List<PageCursor.Keyed<CommandView>> fetched = jdbc.sql("""
                        SELECT * FROM command_view WHERE tenant_id = :tenant AND sandbox_id = :sandbox
                          AND (CAST(:cursorAt AS TIMESTAMPTZ) IS NULL OR (accepted_at, id) < (:cursorAt, :cursorId))
                        ORDER BY accepted_at DESC, id DESC LIMIT :limit""")
                .param("tenant", tenantId)
                .param("sandbox", sandboxId)
                .param("cursorAt", PageCursor.at(cursor))
                .param("cursorId", PageCursor.id(cursor))
                .param("limit", limit + 1)
                .query((rs, n) -> new PageCursor.Keyed<>(ROWS.mapRow(rs, n), read(rs, "accepted_at"), rs.getString("id")))
                .list();
        return PageCursor.page(fetched, limit);
    }
}
