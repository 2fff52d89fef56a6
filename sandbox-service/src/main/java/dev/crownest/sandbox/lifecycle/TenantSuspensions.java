package dev.crownest.sandbox.lifecycle;

import dev.crownest.contracts.event.SandboxEvent;
import dev.crownest.contracts.event.TenantEvent;
import dev.crownest.sandbox.tenant.TenantViews;
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
 * it acts after the events committed and picks up where it stopped after a restart. A tenant held for
 * exhausted credit ({@link CreditHolds}) is treated alike: what starts or resumes is paused, what cannot be
 * paused is killed, reason {@code credits_exhausted}.
 */
@Component
@ProcessingGroup(TenantSuspensions.GROUP)
class TenantSuspensions {
    static final String GROUP = "tenant-suspension";
    static final String ACTOR = "system:suspension";
    private static final String SUSPENDED = "tenant_suspended";
    private static final String CREDITS_EXHAUSTED = "credits_exhausted";
    private static final Logger log = LoggerFactory.getLogger(TenantSuspensions.class);

    private final TenantPauses pauses;
    private final TenantViews tenants;
    private final CreditHolds credits;
    private final CommandGateway commands;

    TenantSuspensions(TenantPauses pauses, TenantViews tenants, CreditHolds credits, CommandGateway commands) {
        this.pauses = pauses;
        this.tenants = tenants;
        this.credits = credits;
        this.commands = commands;
    }

    @EventHandler
    void on(TenantEvent.TenantSuspended event) {
        int paused = pauses.pauseRunning(event.tenantId(), ACTOR);
        log.info("tenant {} suspended: pausing {} running sandboxes", event.tenantId(), paused);
    }

    @EventHandler
    void on(SandboxEvent.SandboxStarted event) {
        pauseIfHeld(event.tenantId(), event.sandboxId());
    }

    @EventHandler
    void on(SandboxEvent.SandboxResumed event) {
        pauseIfHeld(event.tenantId(), event.sandboxId());
    }

    /** The node could not pause it: a held tenant's sandbox must not run on, so it ends. */
    @EventHandler
    void on(SandboxEvent.SandboxPauseFailed event) {
        String hold = hold(event.tenantId());
        if (hold == null) {
            return;
        }
        String actor = hold.equals(SUSPENDED) ? ACTOR : CreditHolds.ACTOR;
        String reason = hold + ": the sandbox could not be paused (" + event.reason() + ")";
        commands.sendAndWait(new KillSandbox(event.sandboxId(), event.tenantId(), reason, actor));
        log.info("sandbox {} of held tenant {} killed: {}", event.sandboxId(), event.tenantId(), reason);
    }

    private void pauseIfHeld(String tenantId, String sandboxId) {
        String hold = hold(tenantId);
        if (hold != null) {
            pauses.pause(tenantId, sandboxId, hold.equals(SUSPENDED) ? ACTOR : CreditHolds.ACTOR);
        }
    }

    /** Why the tenant may run nothing: {@code tenant_suspended}, {@code credits_exhausted}, or null. */
    private String hold(String tenantId) {
        if (tenants.isSuspended(tenantId)) {
            return SUSPENDED;
        }
        return credits.isHeld(tenantId) ? CREDITS_EXHAUSTED : null;
    }
}
