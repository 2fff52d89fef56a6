package dev.crownest.sandbox.template;

import static dev.crownest.sandbox.readmodel.SqlTime.of;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crownest.contracts.api.TemplateStepLog;
import dev.crownest.contracts.event.TemplateEvent.TemplateBuildFailed;
import dev.crownest.contracts.event.TemplateEvent.TemplateBuildRequested;
import dev.crownest.contracts.event.TemplateEvent.TemplateBuilt;
import dev.crownest.contracts.event.TemplateEvent.TemplateDeleted;
import dev.crownest.sandbox.eventstore.AxonStorageConfiguration;
import java.util.List;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Keeps {@code template_view} in step with the Template events, in their transaction. A second
 * template of the same name for a tenant breaks the unique index here, which rolls the create back.
 */
@Component
@ProcessingGroup(AxonStorageConfiguration.PROJECTIONS)
class TemplateProjection {
    private final JdbcClient jdbc;
    private final ObjectMapper json;

    TemplateProjection(JdbcClient jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    @EventHandler
    void on(TemplateBuildRequested event) {
        jdbc.sql("""
                        INSERT INTO template_view (id, tenant_id, name, from_name, status, created_by, created_at)
                        VALUES (:id, :tenant, :name, :from, 'building', :actor, :created)
                        ON CONFLICT (id) DO NOTHING""")
                .param("id", event.templateId())
                .param("tenant", event.tenantId())
                .param("name", event.name())
                .param("from", event.fromName())
                .param("actor", event.actor())
                .param("created", of(event.occurredAt()))
                .update();
    }

    @EventHandler
    void on(TemplateBuilt event) {
        jdbc.sql("""
                        UPDATE template_view SET status = 'ready', size_bytes = :size, built_at = :at, steps = :steps
                        WHERE id = :id""")
                .param("size", event.sizeBytes())
                .param("at", of(event.occurredAt()))
                .param("steps", write(event.steps()))
                .param("id", event.templateId())
                .update();
    }

    @EventHandler
    void on(TemplateBuildFailed event) {
        jdbc.sql("""
                        UPDATE template_view SET status = 'failed', error = :error, failed_step = :step, steps = :steps
                        WHERE id = :id""")
                .param("error", event.reason())
                .param("step", event.failedStep())
                .param("steps", write(event.steps()))
                .param("id", event.templateId())
                .update();
    }

    @EventHandler
    void on(TemplateDeleted event) {
        jdbc.sql("UPDATE template_view SET deleted_at = :at WHERE id = :id")
                .param("at", of(event.occurredAt()))
                .param("id", event.templateId())
                .update();
    }

    private String write(List<TemplateStepLog> steps) {
        try {
            return json.writeValueAsString(steps == null ? List.of() : steps);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a build's steps", e);
        }
    }
}
