package dev.crownest.sandbox.project;

import static dev.crownest.sandbox.readmodel.SqlTime.of;

import dev.crownest.contracts.event.ProjectEvent.ProjectCreated;
import dev.crownest.sandbox.eventstore.AxonStorageConfiguration;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Keeps {@code project_view} in step with the project events. */
@Component
@ProcessingGroup(AxonStorageConfiguration.PROJECTIONS)
class ProjectProjection {
    private final JdbcClient jdbc;

    ProjectProjection(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(ProjectCreated event) {
        jdbc.sql("""
                        INSERT INTO project_view (id, tenant_id, name, created_by, created_at)
                        VALUES (:id, :tenant, :name, :actor, :at) ON CONFLICT (id) DO NOTHING""")
                .param("id", event.projectId())
                .param("tenant", event.tenantId())
                .param("name", event.name())
                .param("actor", event.actor())
                .param("at", of(event.occurredAt()))
                .update();
    }
}
