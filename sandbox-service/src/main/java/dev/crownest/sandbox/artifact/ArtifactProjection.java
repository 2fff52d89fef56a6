package dev.crownest.sandbox.artifact;

import static dev.crownest.sandbox.readmodel.SqlTime.of;

import dev.crownest.contracts.event.CommandEvent.ArtifactCollected;
import dev.crownest.sandbox.eventstore.AxonStorageConfiguration;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Keeps {@code artifact_view}, the artifact index, in step with {@code ArtifactCollected}. */
@Component
@ProcessingGroup(AxonStorageConfiguration.PROJECTIONS)
class ArtifactProjection {
    private final JdbcClient jdbc;

    ArtifactProjection(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(ArtifactCollected event) {
        jdbc.sql("""
                        INSERT INTO artifact_view (id, tenant_id, project_id, sandbox_id, command_id, path, name, size, sha256,
                                                   content_type, storage_key, created_at)
                        VALUES (:id, :tenant, :project, :sandbox, :command, :path, :name, :size, :sha256, :type, :key, :at)
                        ON CONFLICT DO NOTHING""")
                .param("id", event.artifactId())
                .param("tenant", event.tenantId())
                .param("project", event.projectId())
                .param("sandbox", event.sandboxId())
                .param("command", event.commandId())
                .param("path", event.path())
                .param("name", event.name())
                .param("size", event.size())
                .param("sha256", event.sha256())
                .param("type", event.contentType())
                .param("key", event.storageKey())
                .param("at", of(event.occurredAt()))
                .update();
    }
}
