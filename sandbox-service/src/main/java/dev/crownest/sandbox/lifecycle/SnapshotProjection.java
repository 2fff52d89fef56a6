package dev.crownest.sandbox.lifecycle;

import static dev.crownest.sandbox.readmodel.SqlTime.of;

import dev.crownest.contracts.event.SandboxEvent.SandboxExpired;
import dev.crownest.contracts.event.SandboxEvent.SandboxFailed;
import dev.crownest.contracts.event.SandboxEvent.SandboxKilled;
import dev.crownest.contracts.event.SandboxEvent.SandboxPauseFailed;
import dev.crownest.contracts.event.SandboxEvent.SandboxPaused;
import dev.crownest.contracts.event.SandboxEvent.SandboxResumeFailed;
import dev.crownest.contracts.event.SandboxEvent.SandboxResumed;
import dev.crownest.contracts.event.SandboxEvent.SnapshotDeleted;
import dev.crownest.contracts.event.SandboxEvent.SnapshotStored;
import dev.crownest.sandbox.eventstore.AxonStorageConfiguration;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Keeps {@code snapshot_view} in step with the Sandbox events: a pause makes a {@code current} snapshot,
 * a resume (or a failed pause) ends its being current, a delete or the end of its paused sandbox (whose
 * images go with it on the node) makes it {@code deleted}.
 */
@Component
@ProcessingGroup(AxonStorageConfiguration.PROJECTIONS)
class SnapshotProjection {
    private final JdbcClient jdbc;

    SnapshotProjection(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(SandboxPaused event) {
        if (event.snapshotId() == null) {
            return; // a pause of before snapshots
        }
        jdbc.sql("""
                        INSERT INTO snapshot_view (id, tenant_id, project_id, sandbox_id, template, status, created_at)
                        SELECT :snapshot, tenant_id, project_id, id, template, 'current', :at FROM sandbox_view WHERE id = :sandbox
                        ON CONFLICT (id) DO NOTHING""")
                .param("snapshot", event.snapshotId())
                .param("at", of(event.occurredAt()))
                .param("sandbox", event.sandboxId())
                .update();
    }

    @EventHandler
    void on(SandboxResumed event) {
        endCurrent(event.sandboxId(), "superseded");
    }

    /** The node could not pause: no snapshot was kept. */
    @EventHandler
    void on(SandboxPauseFailed event) {
        endCurrent(event.sandboxId(), "deleted");
    }

    /** The node could not resume it: it is paused at its snapshot still. */
    @EventHandler
    void on(SandboxResumeFailed event) {
        jdbc.sql("""
                        UPDATE snapshot_view SET status = 'current'
                        WHERE status = 'superseded' AND id = (SELECT snapshot_id FROM sandbox_view WHERE id = :sandbox)""").param("sandbox", event.sandboxId()).update();
    }

    @EventHandler
    void on(SnapshotStored event) {
        jdbc.sql("UPDATE snapshot_view SET size_bytes = :size WHERE id = :id")
                .param("size", event.sizeBytes())
                .param("id", event.snapshotId())
                .update();
    }

    @EventHandler
    void on(SnapshotDeleted event) {
        jdbc.sql("UPDATE snapshot_view SET status = 'deleted' WHERE id = :id")
                .param("id", event.snapshotId())
                .update();
    }

    @EventHandler
    void on(SandboxKilled event) {
        endCurrent(event.sandboxId(), "deleted");
    }

    @EventHandler
    void on(SandboxExpired event) {
        endCurrent(event.sandboxId(), "deleted");
    }

    @EventHandler
    void on(SandboxFailed event) {
        endCurrent(event.sandboxId(), "deleted");
    }

    private void endCurrent(String sandboxId, String status) {
        jdbc.sql("UPDATE snapshot_view SET status = :status WHERE sandbox_id = :sandbox AND status = 'current'")
                .param("status", status)
                .param("sandbox", sandboxId)
                .update();
    }
}
