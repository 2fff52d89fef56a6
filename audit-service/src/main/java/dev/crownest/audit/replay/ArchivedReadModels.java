package dev.crownest.audit.replay;

import dev.crownest.audit.log.AuditActions;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Rebuilds a tenant's sandbox and key read models from the archived stream, the audit log, in seq
 * order, as sandbox-service's projections build them from its own events: SandboxCreated → starting
 * (with its projectId), Started → running, Failed → failed, Killed → killed, Expired → expired,
 * Paused → paused, Resumed → running, PauseFailed → running (it never stopped), ResumeFailed →
 * paused (its image kept);
 * ApiKeyCreated → active, ApiKeyRevoked → revoked. Runs inside the caller's transaction.
 */
@Component
@EnableConfigurationProperties(ReplayProperties.class)
class ArchivedReadModels {
    private static final Map<String, String> SANDBOX_STATUS = Map.of(
            AuditActions.SANDBOX_CREATED, "starting",
            AuditActions.SANDBOX_STARTED, "running",
            AuditActions.SANDBOX_FAILED, "failed",
            AuditActions.SANDBOX_KILLED, "killed",
            AuditActions.SANDBOX_EXPIRED, "expired",
            AuditActions.SANDBOX_PAUSED, "paused",
            AuditActions.SANDBOX_RESUMED, "running",
            AuditActions.SANDBOX_PAUSE_FAILED, "running",
            AuditActions.SANDBOX_RESUME_FAILED, "paused");

    private final JdbcTemplate cursor;

    ArchivedReadModels(DataSource dataSource, ReplayProperties properties) {
        this.cursor = new JdbcTemplate(dataSource);
        this.cursor.setFetchSize(properties.fetchSize());
    }

    /** The read models as of {@code asOf}: later events are left out. */
    ReadModels rebuild(String tenant, Instant asOf) {
        Map<String, ReadModels.SandboxState> sandboxes = new TreeMap<>();
        Map<String, ReadModels.KeyState> keys = new TreeMap<>();
        String[] actions = {
            AuditActions.SANDBOX_CREATED,
            AuditActions.SANDBOX_STARTED,
            AuditActions.SANDBOX_FAILED,
            AuditActions.SANDBOX_KILLED,
            AuditActions.SANDBOX_EXPIRED,
            AuditActions.SANDBOX_PAUSED,
            AuditActions.SANDBOX_RESUMED,
            AuditActions.SANDBOX_PAUSE_FAILED,
            AuditActions.SANDBOX_RESUME_FAILED,
            AuditActions.KEY_CREATED,
            AuditActions.KEY_REVOKED
        };
        cursor.query(
                """
                SELECT action, resource_id, payload ->> 'projectId' AS project_id FROM audit_event
                WHERE tenant_id = ? AND action = ANY (?) AND occurred_at <= ? ORDER BY seq""",
                rs -> {
                    String action = rs.getString("action");
                    String id = rs.getString("resource_id");
                    switch (action) {
                        case AuditActions.KEY_CREATED -> keys.put(id, new ReadModels.KeyState(id, false));
                        case AuditActions.KEY_REVOKED -> keys.put(id, new ReadModels.KeyState(id, true));
                        case AuditActions.SANDBOX_CREATED ->
                            sandboxes.put(id, new ReadModels.SandboxState(id, "starting", rs.getString("project_id")));
                        default -> {
                            ReadModels.SandboxState before = sandboxes.get(id);
                            sandboxes.put(
                                    id,
                                    new ReadModels.SandboxState(
                                            id,
                                            SANDBOX_STATUS.get(action),
                                            before == null ? null : before.projectId()));
                        }
                    }
                },
                tenant,
                actions,
                Timestamp.from(asOf));
        return new ReadModels(new ArrayList<>(sandboxes.values()), new ArrayList<>(keys.values()));
    }
}
