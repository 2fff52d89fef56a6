package dev.crownest.sandbox.tenant;

import static dev.crownest.sandbox.eventstore.Events.SCHEMA_VERSION;
import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import dev.crownest.contracts.api.ApiException;
import dev.crownest.contracts.event.TenantEvent.TenantAdminSessionOpened;
import dev.crownest.contracts.event.TenantEvent.TenantAdminSessionRevoked;
import dev.crownest.contracts.event.TenantEvent.TenantCreated;
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
 * A tenant: created by the operator on a plan, administered through admin sessions (bearer tokens
 * known here only by their hash). The plan's limits live in metering; this records the choice.
 */
@Aggregate
public class TenantAggregate {

    @AggregateIdentifier
    private String tenantId;

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
        apply(new TenantCreated(
                UUID.randomUUID(),
                command.tenantId(),
                clock.instant(),
                SCHEMA_VERSION,
                name,
                command.plan(),
                command.actor()));
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

    @EventSourcingHandler
    void on(TenantCreated event) {
        tenantId = event.tenantId();
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
