package dev.crownest.sandbox.key;

import static dev.crownest.sandbox.eventstore.Events.SCHEMA_VERSION;
import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import dev.crownest.contracts.api.ApiException;
import dev.crownest.contracts.event.KeyEvent.ApiKeyCreated;
import dev.crownest.contracts.event.KeyEvent.ApiKeyRevoked;
import dev.crownest.contracts.security.Scopes;
import dev.crownest.sandbox.credential.SecretHashes;
import dev.crownest.sandbox.naming.ResourceNames;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

/** An API key of a tenant: issued with scopes and a secret hash, later maybe revoked (a tombstone). */
@Aggregate
public class ApiKeyAggregate {
    @AggregateIdentifier
    private String keyId;

    private String tenantId;
    private boolean revoked;

    protected ApiKeyAggregate() {
        // Axon rebuilds from events.
    }

    @CommandHandler
    public ApiKeyAggregate(IssueApiKey command, Clock clock) {
        String name = ResourceNames.require(command.name(), "a key");
        if (command.scopes() == null || command.scopes().isEmpty()) {
            throw ApiException.badRequest("invalid_scopes", "a key needs at least one scope of " + Scopes.ALL);
        }
        for (String scope : command.scopes()) {
            if (!Scopes.ALL.contains(scope)) {
                // Key management itself is no scope: keys cannot mint keys.
                throw ApiException.badRequest("unknown_scope", "unknown scope '" + scope + "'; known: " + Scopes.ALL);
            }
        }
        SecretHashes.require(command.secretHash(), "secretHash");
        apply(new ApiKeyCreated(
                UUID.randomUUID(),
                command.tenantId(),
                clock.instant(),
                SCHEMA_VERSION,
                command.keyId(),
                name,
                List.copyOf(command.scopes().stream().distinct().toList()),
                command.projectId(),
                command.secretHash(),
                command.actor()));
    }

    @CommandHandler
    public void handle(RevokeApiKey command, Clock clock) {
        if (!tenantId.equals(command.tenantId())) {
            throw ApiException.notFound("key_not_found", "no key " + keyId);
        }
        if (revoked) {
            return;
        }
        apply(new ApiKeyRevoked(UUID.randomUUID(), tenantId, clock.instant(), SCHEMA_VERSION, keyId, command.actor()));
    }

    @EventSourcingHandler
    void on(ApiKeyCreated event) {
        keyId = event.keyId();
        tenantId = event.tenantId();
    }

    @EventSourcingHandler
    void on(ApiKeyRevoked event) {
        revoked = true;
    }
}
