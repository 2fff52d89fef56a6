package dev.crownest.sandbox.command;

import static dev.crownest.sandbox.readmodel.SqlTime.of;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crownest.contracts.event.CommandEvent.CommandFinished;
import dev.crownest.contracts.event.CommandEvent.CommandStarted;
import dev.crownest.sandbox.eventstore.AxonStorageConfiguration;
import dev.crownest.sandbox.outcome.OutcomeWaiters;
import java.util.List;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Keeps {@code command_view} in step with the Command events and wakes calls waiting for a finish. */
@Component
@ProcessingGroup(AxonStorageConfiguration.PROJECTIONS)
class CommandProjection {
    private final JdbcClient jdbc;
    private final OutcomeWaiters waiters;
    private final ObjectMapper json;

    CommandProjection(JdbcClient jdbc, OutcomeWaiters waiters, ObjectMapper json) {
        this.jdbc = jdbc;
        this.waiters = waiters;
        this.json = json;
    }

    @EventHandler
    void on(CommandStarted event) {
        jdbc.sql("""
                        INSERT INTO command_view (id, sandbox_id, tenant_id, cmd, cwd, status, timeout_ms, created_by,
                                                  accepted_at, started_at, collect)
                        VALUES (:id, :sandbox, :tenant, :cmd, :cwd, 'running', :timeout, :actor, :at, :at, CAST(:collect AS JSONB))
                        ON CONFLICT (id) DO NOTHING""")
                .param("id", event.commandId())
                .param("sandbox", event.sandboxId())
                .param("tenant", event.tenantId())
                .param("cmd", event.cmd())
                .param("cwd", event.cwd())
                .param("timeout", event.timeoutMs())
                .param("actor", event.actor())
                .param("at", of(event.occurredAt()))
                .param("collect", jsonOrNull(event.collect()))
                .update();
    }

    @EventHandler
    void on(CommandFinished event) {
        jdbc.sql("""
                        UPDATE command_view SET status = 'finished', exit_code = :exit, stdout = :stdout, stderr = :stderr,
                               truncated = :truncated, timed_out = :timedOut, cancelled = :cancelled, started_at = :started,
                               finished_at = :finished, duration_ms = :duration, collect_errors = CAST(:collectErrors AS JSONB)
                        WHERE id = :id""")
                .param("exit", event.exitCode())
                .param("stdout", event.stdout())
                .param("stderr", event.stderr())
                .param("truncated", event.truncated())
                .param("timedOut", event.timedOut())
                .param("cancelled", event.cancelled())
                .param("started", of(event.startedAt()))
                .param("finished", of(event.finishedAt()))
                .param("duration", event.durationMs())
                .param("collectErrors", jsonOrNull(event.collectErrors()))
                .param("id", event.commandId())
                .update();
        waiters.completeAfterCommit(OutcomeWaiters.commandFinished(event.commandId()));
    }

    private String jsonOrNull(List<?> list) {
        try {
            return list == null || list.isEmpty() ? null : json.writeValueAsString(list);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
