package dev.crownest.sandbox.lifecycle;

import static dev.crownest.sandbox.readmodel.SqlTime.of;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crownest.contracts.event.SandboxEvent.SandboxCreated;
import dev.crownest.contracts.event.SandboxEvent.SandboxExpired;
import dev.crownest.contracts.event.SandboxEvent.SandboxFailed;
import dev.crownest.contracts.event.SandboxEvent.SandboxKilled;
import dev.crownest.contracts.event.SandboxEvent.SandboxPauseFailed;
import dev.crownest.contracts.event.SandboxEvent.SandboxPaused;
import dev.crownest.contracts.event.SandboxEvent.SandboxResumeFailed;
import dev.crownest.contracts.event.SandboxEvent.SandboxResumed;
import dev.crownest.contracts.event.SandboxEvent.SandboxStarted;
import dev.crownest.contracts.event.SandboxEvent.SandboxTtlExtended;
import dev.crownest.sandbox.eventstore.AxonStorageConfiguration;
import dev.crownest.sandbox.outcome.OutcomeWaiters;
import java.time.Instant;
import java.util.List;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Keeps {@code sandbox_view} in step with the Sandbox events, in the same transaction, and wakes the
 * create calls waiting for a start or a failure once that transaction committed.
 */
@Component
@ProcessingGroup(AxonStorageConfiguration.PROJECTIONS)
class SandboxProjection {
    private final JdbcClient jdbc;
    private final ObjectMapper json;
    private final OutcomeWaiters waiters;

    SandboxProjection(JdbcClient jdbc, ObjectMapper json, OutcomeWaiters waiters) {
        this.jdbc = jdbc;
        this.json = json;
        this.waiters = waiters;
    }

    @EventHandler
    void on(SandboxCreated event) throws JsonProcessingException {
        jdbc.sql("""
                        INSERT INTO sandbox_view (id, tenant_id, project_id, status, template, ttl_ms, network, cpu,
                                                  memory_mb, disk_mb, allowed_hosts, metadata, created_by, created_at, expires_at,
                                                  from_snapshot)
                        VALUES (:id, :tenant, :project, :status, :template, :ttl, :network, :cpu,
                                :memory, :disk, CAST(:hosts AS JSONB), CAST(:metadata AS JSONB), :actor, :created, :expires,
                                :fromSnapshot)
                        ON CONFLICT (id) DO NOTHING""")
                .param("id", event.sandboxId())
                .param("tenant", event.tenantId())
                .param("project", event.projectId())
                .param("status", SandboxStatus.STARTING.wire())
                .param("template", event.template())
                .param("ttl", event.ttlMs())
                .param("network", event.network().wire())
                .param("cpu", event.cpu())
                .param("memory", event.memoryMb())
                .param("disk", event.diskMb())
                .param(
                        "hosts",
                        json.writeValueAsString(event.allowedHosts() == null ? List.of() : event.allowedHosts()))
                .param("metadata", json.writeValueAsString(event.metadata()))
                .param("actor", event.actor())
                .param("created", of(event.occurredAt()))
                .param("expires", of(event.expiresAt()))
                .param("fromSnapshot", event.fromSnapshot())
                .update();
    }

    @EventHandler
    void on(SandboxStarted event) {
        jdbc.sql("UPDATE sandbox_view SET status = 'running', node_id = :node, started_at = :at WHERE id = :id")
                .param("node", event.nodeId())
                .param("at", of(event.occurredAt()))
                .param("id", event.sandboxId())
                .update();
        waiters.completeAfterCommit(OutcomeWaiters.sandboxSettled(event.sandboxId()));
    }

    /** Paused at its new snapshot; from now on the retention, not the TTL, can end it. */
    @EventHandler
    void on(SandboxPaused event) {
        pausedOrRunning(event.sandboxId(), "paused");
        jdbc.sql(
                        "UPDATE sandbox_view SET snapshot_id = :snapshot, paused_at = :at WHERE id = :id AND status = 'paused'")
                .param("snapshot", event.snapshotId())
                .param("at", of(event.occurredAt()))
                .param("id", event.sandboxId())
                .update();
    }

    /** Running again, its deadline the TTL it had left from now (events of before snapshots have none). */
    @EventHandler
    void on(SandboxResumed event) {
        pausedOrRunning(event.sandboxId(), "running");
        jdbc.sql("""
                        UPDATE sandbox_view SET paused_at = NULL, expires_at = COALESCE(:expires, expires_at)
                        WHERE id = :id AND status = 'running'""")
                .param("expires", event.expiresAt() == null ? null : of(event.expiresAt()))
                .param("id", event.sandboxId())
                .update();
    }

    /** The node could not pause it: it runs on. */
    @EventHandler
    void on(SandboxPauseFailed event) {
        pausedOrRunning(event.sandboxId(), "running");
        jdbc.sql("UPDATE sandbox_view SET paused_at = NULL WHERE id = :id")
                .param("id", event.sandboxId())
                .update();
    }

    /** The node could not resume it: it stays paused (its retention counted from now). */
    @EventHandler
    void on(SandboxResumeFailed event) {
        pausedOrRunning(event.sandboxId(), "paused");
        jdbc.sql("UPDATE sandbox_view SET paused_at = COALESCE(paused_at, :at) WHERE id = :id")
                .param("at", of(event.occurredAt()))
                .param("id", event.sandboxId())
                .update();
    }

    /** Moves between running and paused only: an ended sandbox stays ended. */
    private void pausedOrRunning(String sandboxId, String status) {
        jdbc.sql("UPDATE sandbox_view SET status = :status WHERE id = :id AND status IN ('running', 'paused')")
                .param("status", status)
                .param("id", sandboxId)
                .update();
    }

    /** The reaper reads expires_at: a moved deadline is what it enforces from the next sweep on. */
    @EventHandler
    void on(SandboxTtlExtended event) {
        jdbc.sql("UPDATE sandbox_view SET expires_at = :expires WHERE id = :id")
                .param("expires", of(event.expiresAt()))
                .param("id", event.sandboxId())
                .update();
    }

    @EventHandler
    void on(SandboxFailed event) {
        end(event.sandboxId(), SandboxStatus.FAILED, event.stoppedRunningAt(), event.reason());
        waiters.completeAfterCommit(OutcomeWaiters.sandboxSettled(event.sandboxId()));
    }

    @EventHandler
    void on(SandboxKilled event) {
        end(event.sandboxId(), SandboxStatus.KILLED, event.occurredAt(), null);
        // A sandbox killed while starting will never start: let its create call answer now.
        waiters.completeAfterCommit(OutcomeWaiters.sandboxSettled(event.sandboxId()));
    }

    @EventHandler
    void on(SandboxExpired event) {
        end(event.sandboxId(), SandboxStatus.EXPIRED, event.occurredAt(), null);
        waiters.completeAfterCommit(OutcomeWaiters.sandboxSettled(event.sandboxId()));
    }

    private void end(String sandboxId, SandboxStatus status, Instant at, String reason) {
        jdbc.sql("UPDATE sandbox_view SET status = :status, ended_at = :at, failure_reason = :reason WHERE id = :id")
                .param("status", status.wire())
                .param("at", of(at))
                .param("reason", reason)
                .param("id", sandboxId)
                .update();
    }
}
