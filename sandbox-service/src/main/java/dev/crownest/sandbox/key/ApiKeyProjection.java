package dev.crownest.sandbox.key;

import static dev.crownest.sandbox.readmodel.SqlTime.of;

import dev.crownest.contracts.event.KeyEvent.ApiKeyCreated;
import dev.crownest.contracts.event.KeyEvent.ApiKeyRevoked;
import dev.crownest.sandbox.eventstore.AxonStorageConfiguration;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Keeps {@code api_key_view} in step with the key events. */
@Component
@ProcessingGroup(AxonStorageConfiguration.PROJECTIONS)
class ApiKeyProjection {
    private final JdbcClient jdbc;

    ApiKeyProjection(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(ApiKeyCreated event) {
        jdbc.sql("""
                        INSERT INTO api_key_view (id, tenant_id, name, scopes, project_id, secret_hash, status, created_by, created_at)
                        VALUES (:id, :tenant, :name, :scopes, :project, :hash, 'active', :actor, :at)
                        ON CONFLICT (id) DO NOTHING""")
                .param("id", event.keyId())
                .param("tenant", event.tenantId())
                .param("name", event.name())
                .param("scopes", event.scopes().toArray(String[]::new))
                .param("project", event.projectId())
                .param("hash", event.secretHash())
                .param("actor", event.actor())
                .param("at", of(event.occurredAt()))
                .update();
    }

    @EventHandler
    void on(ApiKeyRevoked event) {
        jdbc.sql("UPDATE api_key_view SET status = 'revoked', revoked_at = :at WHERE id = :id")
                .param("at", of(event.occurredAt()))
                .param("id", event.keyId())
                .update();
    }
}
