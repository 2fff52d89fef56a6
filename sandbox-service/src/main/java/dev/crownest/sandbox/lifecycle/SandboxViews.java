package dev.crownest.sandbox.lifecycle;

import static dev.crownest.sandbox.readmodel.SqlTime.of;
import static dev.crownest.sandbox.readmodel.SqlTime.read;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crownest.contracts.api.Page;
import dev.crownest.contracts.api.SandboxView;
import dev.crownest.sandbox.web.PageCursor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Reads of {@code sandbox_view}. Every tenant-facing read filters by tenant (and by project when the
 * caller is restricted to one), so another tenant's sandbox is simply not found.
 */
@Repository
public class SandboxViews {
    private static final TypeReference<List<String>> STRING_LIST = new TypeReference<>() {};
    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {};

    /** A sandbox whose deadline passed, for the TTL reaper. */
    public record Overdue(String sandboxId, String tenantId) {}

    private final JdbcClient jdbc;
    private final ObjectMapper json;
    private final RowMapper<SandboxView> rows;

    SandboxViews(JdbcClient jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
        this.rows = (rs, n) -> new SandboxView(
                rs.getString("id"),
                rs.getString("status"),
                TemplateNames.shown(rs),
                rs.getString("project_id"),
                read(rs, "created_at"),
                read(rs, "started_at"),
                read(rs, "ended_at"),
                read(rs, "expires_at"),
                rs.getInt("cpu"),
                rs.getInt("memory_mb"),
                rs.getInt("disk_mb"),
                rs.getString("network"),
                hosts(rs.getString("allowed_hosts")),
                metadata(rs.getString("metadata")),
                rs.getString("node_id"),
                rs.getString("failure_reason"),
                rs.getString("snapshot_id"),
                rs.getString("from_snapshot"));
    }

    /** The sandbox if {@code tenantId} (and {@code projectId}, when not null) owns it. */
    public Optional<SandboxView> find(String tenantId, String projectId, String sandboxId) {
        return jdbc.sql("""
                        SELECT *, %s FROM sandbox_view
                        WHERE id = :id AND tenant_id = :tenant AND (CAST(:project AS VARCHAR) IS NULL OR project_id = :project)""".formatted(TemplateNames.column("sandbox_view")))
                .param("id", sandboxId)
                .param("tenant", tenantId)
                .param("project", projectId)
                .query(rows)
                .optional();
    }

    /** Unscoped, for reports from the execution worker, which acts for the platform. */
    public Optional<SandboxView> find(String sandboxId) {
        return jdbc.sql("SELECT *, " + TemplateNames.column("sandbox_view") + " FROM sandbox_view WHERE id = :id")
                .param("id", sandboxId)
                .query(rows)
                .optional();
    }

    /**
     * The template the sandbox's node started, as the node knows it (a custom template's id): what a fork
     * of it starts from. The views show the name instead ({@link TemplateNames}).
     */
    public Optional<String> nodeTemplate(String sandboxId) {
        return jdbc.sql("SELECT template FROM sandbox_view WHERE id = :id")
                .param("id", sandboxId)
                .query(String.class)
                .optional();
    }

    /** The owning tenant, for commands the platform sends on a tenant's sandbox (undoing a failed pause). */
    public Optional<String> tenantOf(String sandboxId) {
        return jdbc.sql("SELECT tenant_id FROM sandbox_view WHERE id = :id")
                .param("id", sandboxId)
                .query(String.class)
                .optional();
    }

    /**
     * A page of the tenant's sandboxes, newest first, optionally of one project, one status and
     * carrying every given metadata pair.
     */
    public Page<SandboxView> list(
            String tenantId,
            String projectId,
            String status,
            Map<String, String> metadata,
            PageCursor cursor,
            int limit) {
        try {
            return PageCursor.page(
                    jdbc.sql("""
                            SELECT *, %s FROM sandbox_view
                            WHERE tenant_id = :tenant AND (CAST(:project AS VARCHAR) IS NULL OR project_id = :project)
                              AND (CAST(:status AS VARCHAR) IS NULL OR status = :status)
                              AND metadata @> CAST(:metadata AS JSONB)
                              AND (CAST(:cursorAt AS TIMESTAMPTZ) IS NULL OR (created_at, id) < (:cursorAt, :cursorId))
                            ORDER BY created_at DESC, id DESC
                            LIMIT :limit""".formatted(TemplateNames.column("sandbox_view")))
                            .param("tenant", tenantId)
                            .param("project", projectId)
                            .param("status", status)
                            .param("metadata", json.writeValueAsString(metadata)),
                    "created_at",
                    rows,
                    cursor,
                    limit);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Creates from a template (not forks) still starting since before {@code createdBefore}, oldest first. */
    public List<String> startingSince(Instant createdBefore, int limit) {
        return jdbc.sql("""
                        SELECT id FROM sandbox_view
                        WHERE status = 'starting' AND from_snapshot IS NULL AND created_at <= :before
                        ORDER BY created_at
                        LIMIT :limit""")
                .param("before", of(createdBefore))
                .param("limit", limit)
                .query(String.class)
                .list();
    }

    /** Sandboxes paused since before {@code pausedBefore} (past their retention), oldest first. */
    public List<Overdue> pausedSince(Instant pausedBefore, int limit) {
        return jdbc.sql("""
                        SELECT id, tenant_id FROM sandbox_view
                        WHERE status = 'paused' AND paused_at <= :before
                        ORDER BY paused_at
                        LIMIT :limit""")
                .param("before", of(pausedBefore))
                .param("limit", limit)
                .query((rs, n) -> new Overdue(rs.getString("id"), rs.getString("tenant_id")))
                .list();
    }

    /**
     * The earliest moment the TTL reaper has work: a running or starting sandbox's TTL, or a paused
     * one's pause plus {@code pausedRetention}; empty when no sandbox is live.
     */
    public Optional<Instant> nextDeadline(Duration pausedRetention) {
        return jdbc.sql("""
                        SELECT min(expires_at) FILTER (WHERE status IN ('starting', 'running')) AS expires,
                               min(paused_at) FILTER (WHERE status = 'paused') AS paused
                        FROM sandbox_view WHERE status IN ('starting', 'running', 'paused')""")
                .query((rs, n) -> Stream.of(
                                Optional.ofNullable(read(rs, "expires")),
                                Optional.ofNullable(read(rs, "paused")).map(p -> p.plus(pausedRetention)))
                        .flatMap(Optional::stream)
                        .min(Instant::compareTo))
                .single();
    }

    /** Running or starting sandboxes whose TTL ran out by {@code now} (a paused one's TTL stands still). */
    public List<Overdue> overdue(Instant now, int limit) {
        return jdbc.sql("""
                        SELECT id, tenant_id FROM sandbox_view
                        WHERE status IN ('starting', 'running') AND expires_at <= :now
                        ORDER BY expires_at
                        LIMIT :limit""")
                .param("now", of(now))
                .param("limit", limit)
                .query((rs, n) -> new Overdue(rs.getString("id"), rs.getString("tenant_id")))
                .list();
    }

    private List<String> hosts(String value) {
        try {
            return value == null ? List.of() : json.readValue(value, STRING_LIST);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Map<String, String> metadata(String value) {
        try {
            return value == null ? Map.of() : json.readValue(value, STRING_MAP);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
