package dev.crownest.sandbox.lifecycle;

import dev.crownest.contracts.api.ApiException;
import dev.crownest.contracts.api.SandboxView;
import dev.crownest.contracts.event.SandboxEvent;
import dev.crownest.contracts.event.TenantEvent;
import dev.crownest.sandbox.tenant.TenantViews;
import java.util.Map;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * A suspended tenant runs nothing: on {@code TenantSuspended} each of its running sandboxes is paused
 * (the ordinary pause, a snapshot kept), and so is any that starts or resumes while it is suspended (a
 * create or resume that was under way). A sandbox whose pause the node could not do is killed, reason
 * {@code tenant_suspended}. Unsuspending resumes nothing: the tenant resumes what it wants. Tracking, so
 * it acts after the events committed and picks up where it stopped after a restart.
 */
@Component
@ProcessingGroup(TenantSuspensions.GROUP)
class TenantSuspensions {
    static final String GROUP = "tenant-suspension";
    static final String ACTOR = "system:suspension";
    private static final Logger log = LoggerFactory.getLogger(TenantSuspensions.class);
    private static final int MAX_SANDBOXES = 10_000;

    private final SandboxViews sandboxes;
    private final TenantViews tenants;
    private final CommandGateway commands;

    TenantSuspensions(SandboxViews sandboxes, TenantViews tenants, CommandGateway commands) {
        this.sandboxes = sandboxes;
        this.tenants = tenants;
        this.commands = commands;
    }

    @EventHandler
    void on(TenantEvent.TenantSuspended event) {
        var running = sandboxes
                .list(event.tenantId(), null, "running", Map.of(), null, MAX_SANDBOXES)
                .data();
        running.stream().map(SandboxView::id).forEach(id -> pause(event.tenantId(), id));
        log.info("tenant {} suspended: pausing {} running sandboxes", event.tenantId(), running.size());
    }

    @EventHandler
    void on(SandboxEvent.SandboxStarted event) {
        if (tenants.isSuspended(event.tenantId())) {
            pause(event.tenantId(), event.sandboxId());
        }
    }

    @EventHandler
    void on(SandboxEvent.SandboxResumed event) {
        if (tenants.isSuspended(event.tenantId())) {
            pause(event.tenantId(), event.sandboxId());
        }
    }

    /** The node could not pause it: a suspended tenant's sandbox must not run on, so it ends. */
    @EventHandler
    void on(SandboxEvent.SandboxPauseFailed event) {
        if (tenants.isSuspended(event.tenantId())) {
            String reason = "tenant_suspended: the sandbox could not be paused (" + event.reason() + ")";
            commands.sendAndWait(new KillSandbox(event.sandboxId(), event.tenantId(), reason, ACTOR));
            log.info("sandbox {} of suspended tenant {} killed: {}", event.sandboxId(), event.tenantId(), reason);
        }
    }

    private void pause(String tenantId, String sandboxId) {
        try {
            commands.sendAndWait(new PauseSandbox(sandboxId, tenantId, ACTOR));
        } catch (ApiException ended) {
            // killed, expired or failed meanwhile: nothing runs that a pause could stop
            log.debug("sandbox {} not paused for the suspension: {}", sandboxId, ended.getMessage());
        }
    }
}
