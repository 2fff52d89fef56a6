package dev.crownest.sandbox.preview;

import static dev.crownest.sandbox.readmodel.SqlTime.of;

import dev.crownest.contracts.event.PreviewEvent.PreviewClosed;
import dev.crownest.contracts.event.PreviewEvent.PreviewCreated;
import dev.crownest.sandbox.eventstore.AxonStorageConfiguration;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Keeps {@code preview_view} in step with the Preview events, in their transaction. A second active
 * preview of the same sandbox and port breaks the unique index here, which rolls the create back.
 */
@Component
@ProcessingGroup(AxonStorageConfiguration.PROJECTIONS)
class PreviewProjection {
    private final JdbcClient jdbc;

    PreviewProjection(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(PreviewCreated event) {
        jdbc.sql("""
                        INSERT INTO preview_view (id, sandbox_id, tenant_id, project_id, port, status, created_by, created_at)
                        VALUES (:id, :sandbox, :tenant, :project, :port, 'active', :actor, :created)
                        ON CONFLICT (id) DO NOTHING""")
                .param("id", event.previewId())
                .param("sandbox", event.sandboxId())
                .param("tenant", event.tenantId())
                .param("project", event.projectId())
                .param("port", event.port())
                .param("actor", event.actor())
                .param("created", of(event.occurredAt()))
                .update();
    }

    @EventHandler
    void on(PreviewClosed event) {
        jdbc.sql("UPDATE preview_view SET status = 'closed', closed_at = :at, close_reason = :reason WHERE id = :id")
                .param("at", of(event.occurredAt()))
                .param("reason", event.reason())
                .param("id", event.previewId())
                .update();
    }
}
