package dev.crownest.sandbox.readmodel;

import dev.crownest.kit.caller.Caller;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A read-only snapshot of one tenant's live read models, for the audit service's replay to compare
 * with what it rebuilds from the archived event stream: {@code GET /internal/read-models/snapshot}.
 */
@RestController
class ReadModelSnapshotController {
    /** A sandbox as the read model has it. */
    record SandboxState(String id, String status, String projectId) {}

    /** An API key as the read model has it. */
    record KeyState(String id, boolean revoked) {}

    /** Everything the tenant owns, ordered by id so two snapshots compare line by line. */
    record Snapshot(List<SandboxState> sandboxes, List<KeyState> keys) {}

    private final JdbcClient jdbc;

    ReadModelSnapshotController(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    // One repeatable-read transaction: both tables from the same moment.
    @GetMapping("/internal/read-models/snapshot")
    @Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
    public Snapshot snapshot(Caller caller) {
        String tenantId = caller.tenant();
        List<SandboxState> sandboxes = jdbc.sql(
                        "SELECT id, status, project_id FROM sandbox_view WHERE tenant_id = :tenant ORDER BY id")
                .param("tenant", tenantId)
                .query((rs, n) ->
                        new SandboxState(rs.getString("id"), rs.getString("status"), rs.getString("project_id")))
                .list();
        List<KeyState> keys = jdbc.sql("SELECT id, status FROM api_key_view WHERE tenant_id = :tenant ORDER BY id")
                .param("tenant", tenantId)
                .query((rs, n) -> new KeyState(rs.getString("id"), "revoked".equals(rs.getString("status"))))
                .list();
        return new Snapshot(sandboxes, keys);
    }
}
