package dev.crownest.sandbox.tenant;

import static dev.crownest.sandbox.eventstore.Events.SCHEMA_VERSION;
import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import dev.crownest.contracts.api.ApiException;
import dev.crownest.contracts.event.TenantEvent.TenantAdminSessionOpened;
import dev.crownest.contracts.event.TenantEvent.TenantAdminSessionRevoked;
import dev.crownest.contracts.event.TenantEvent.TenantCreated;
import dev.crownest.contracts.event.TenantEvent.TenantPlanChanged;
import dev.crownest.contracts.event.TenantEvent.TenantPricingPinned;
import dev.crownest.contracts.event.TenantEvent.TenantSuspended;
import dev.crownest.contracts.event.TenantEvent.TenantUnsuspended;
import dev.crownest.sandbox.credential.SecretHashes;
import dev.crownest.sandbox.naming.ResourceNames;
import java.time.Clock;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

/**
 * A tenant: created by the operator on a plan or signed up on the free plan, administered through admin
 * sessions (bearer tokens known here only by their hash). The plan's limits and the pricing versions live
 * in metering, which follows this aggregate's plan and pricing events; a suspension refuses the tenant's credentials at the gateway
 * and pauses its sandboxes ({@code TenantSuspensions}).
 */
@Aggregate
public class TenantAggregate {

    @AggregateIdentifier
    private String tenantId;

    private String plan;
    /** The version the operator last pinned; null until the first pin (metering rates at its default). */
    private String pricingVersion;

    private boolean suspended;
    private final Set<String> openSessions = new HashSet<>();
    private final Set<String> revokedSessions = new HashSet<>();

    protected TenantAggregate() {
        // Axon rebuilds from events.
    }

    @CommandHandler
    public TenantAggregate(CreateTenant command, Clock clock) {
        String name = ResourceNames.require(command.name(), "a tenant");
        if (command.plan() == null || command.plan().isBlank()) {
            throw ApiException.badRequest("invalid_plan", "a tenant needs a plan");
        }
        SecretHashes.require(command.adminTokenHash(), "adminTokenHash");
        String email = command.email() == null ? null : EmailAddresses.require(command.email());
        apply(new TenantCreated(
                UUID.randomUUID(),
                command.tenantId(),
                clock.instant(),
                SCHEMA_VERSION,
                name,
                command.plan(),
                command.actor(),
                email));
        apply(new TenantAdminSessionOpened(
                UUID.randomUUID(),
                command.tenantId(),
                clock.instant(),
                SCHEMA_VERSION,
                command.adminSessionId(),
                command.adminTokenHash(),
                command.actor()));
    }

    @CommandHandler
    public void handle(OpenTenantAdminSession command, Clock clock) {
        SecretHashes.require(command.tokenHash(), "tokenHash");
        if (openSessions.contains(command.sessionId()) || revokedSessions.contains(command.sessionId())) {
            throw ApiException.conflict("session_exists", "session " + command.sessionId() + " exists");
        }
        apply(new TenantAdminSessionOpened(
                UUID.randomUUID(),
                tenantId,
                clock.instant(),
                SCHEMA_VERSION,
                command.sessionId(),
                command.tokenHash(),
                command.actor()));
    }

    @CommandHandler
    public void handle(RevokeTenantAdminSession command, Clock clock) {
        if (revokedSessions.contains(command.sessionId())) {
            return;
        }
        if (!openSessions.contains(command.sessionId())) {
            throw ApiException.notFound("session_not_found", "no session " + command.sessionId());
        }
        apply(new TenantAdminSessionRevoked(
                UUID.randomUUID(), tenantId, clock.instant(), SCHEMA_VERSION, command.sessionId(), command.actor()));
    }

    /** Answers true when the plan changed. */
    @CommandHandler
    public boolean handle(ChangeTenantPlan command, Clock clock) {
        if (command.plan() == null || command.plan().isBlank()) {
            throw ApiException.badRequest("invalid_plan", "a tenant needs a plan");
        }
        if (command.plan().equals(plan)) {
            return false;
        }
        apply(new TenantPlanChanged(
                UUID.randomUUID(), tenantId, clock.instant(), SCHEMA_VERSION, command.plan(), plan, command.actor()));
        return true;
    }

    /** Answers true when the pin changed. */
    @CommandHandler
    public boolean handle(PinTenantPricing command, Clock clock) {
        if (command.pricingVersion() == null || command.pricingVersion().isBlank()) {
            throw ApiException.badRequest("invalid_pricing_version", "name the pricing version");
        }
        if (command.pricingVersion().equals(pricingVersion)) {
            return false;
        }
        apply(new TenantPricingPinned(
                UUID.randomUUID(),
                tenantId,
                clock.instant(),
                SCHEMA_VERSION,
                command.pricingVersion(),
                pricingVersion,
                command.actor()));
        return true;
    }

    /** Answers true when the tenant was active and is now suspended. */
    @CommandHandler
    public boolean handle(SuspendTenant command, Clock clock) {
        if (suspended) {
            return false;
        }
        apply(new TenantSuspended(
                UUID.randomUUID(), tenantId, clock.instant(), SCHEMA_VERSION, command.reason(), command.actor()));
        return true;
    }

    /** Answers true when the tenant was suspended and is now active. */
    @CommandHandler
    public boolean handle(UnsuspendTenant command, Clock clock) {
        if (!suspended) {
            return false;
        }
        apply(new TenantUnsuspended(UUID.randomUUID(), tenantId, clock.instant(), SCHEMA_VERSION, command.actor()));
        return true;
    }

    @EventSourcingHandler
    void on(TenantCreated event) {
        tenantId = event.tenantId();
        plan = event.plan();
    }

    @EventSourcingHandler
    void on(TenantPlanChanged event) {
        plan = event.plan();
    }

    @EventSourcingHandler
    void on(TenantPricingPinned event) {
        pricingVersion = event.pricingVersion();
    }

    @EventSourcingHandler
    void on(TenantSuspended event) {
        suspended = true;
    }

    @EventSourcingHandler
    void on(TenantUnsuspended event) {
        suspended = false;
    }

    @EventSourcingHandler
    void on(TenantAdminSessionOpened event) {
        openSessions.add(event.sessionId());
    }

    @EventSourcingHandler
    void on(TenantAdminSessionRevoked event) {
        openSessions.remove(event.sessionId());
        revokedSessions.add(event.sessionId());
    }
}
