package dev.crownest.sandbox.tenant;

import static dev.crownest.sandbox.readmodel.SqlTime.of;

import dev.crownest.contracts.event.TenantEvent.TenantAdminSessionOpened;
import dev.crownest.contracts.event.TenantEvent.TenantAdminSessionRevoked;
import dev.crownest.contracts.event.TenantEvent.TenantCreated;
import dev.crownest.contracts.event.TenantEvent.TenantPlanChanged;
import dev.crownest.contracts.event.TenantEvent.TenantSuspended;
import dev.crownest.contracts.event.TenantEvent.TenantUnsuspended;
import dev.crownest.sandbox.eventstore.AxonStorageConfiguration;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Keeps {@code tenant_view} and {@code tenant_admin_session_view} in step with the tenant events. */
@Component
@ProcessingGroup(AxonStorageConfiguration.PROJECTIONS)
class TenantProjection {
    private final JdbcClient jdbc;

    TenantProjection(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(TenantCreated event) {
        jdbc.sql("""
                        INSERT INTO tenant_view (id, name, plan, email, created_by, created_at)
                        VALUES (:id, :name, :plan, :email, :actor, :at) ON CONFLICT (id) DO NOTHING""")
                .param("id", event.tenantId())
                .param("name", event.name())
                .param("plan", event.plan())
                .param("email", event.email())
                .param("actor", event.actor())
                .param("at", of(event.occurredAt()))
                .update();
    }

    @EventHandler
    void on(TenantPlanChanged event) {
        jdbc.sql("UPDATE tenant_view SET plan = :plan WHERE id = :id")
                .param("plan", event.plan())
                .param("id", event.tenantId())
                .update();
    }

    @EventHandler
    void on(TenantSuspended event) {
        status(event.tenantId(), TenantViews.SUSPENDED);
    }

    @EventHandler
    void on(TenantUnsuspended event) {
        status(event.tenantId(), TenantViews.ACTIVE);
    }

    private void status(String tenantId, String status) {
        jdbc.sql("UPDATE tenant_view SET status = :status WHERE id = :id")
                .param("status", status)
                .param("id", tenantId)
                .update();
    }

    @EventHandler
    void on(TenantAdminSessionOpened event) {
        jdbc.sql("""
                        INSERT INTO tenant_admin_session_view (id, tenant_id, token_hash, status, created_by, created_at)
                        VALUES (:id, :tenant, :hash, 'active', :actor, :at) ON CONFLICT (id) DO NOTHING""")
                .param("id", event.sessionId())
                .param("tenant", event.tenantId())
                .param("hash", event.tokenHash())
                .param("actor", event.actor())
                .param("at", of(event.occurredAt()))
                .update();
    }

    @EventHandler
    void on(TenantAdminSessionRevoked event) {
        jdbc.sql("UPDATE tenant_admin_session_view SET status = 'revoked', revoked_at = :at WHERE id = :id")
                .param("at", of(event.occurredAt()))
                .param("id", event.sessionId())
                .update();
    }
}
