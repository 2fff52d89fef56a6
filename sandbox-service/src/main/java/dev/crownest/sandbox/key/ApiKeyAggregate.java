package dev.crownest.sandbox.key;

import dev.crownest.contracts.event.KeyEvent.ApiKeyCreated;
import dev.crownest.contracts.event.KeyEvent.ApiKeyRevoked;
import dev.crownest.contracts.security.Scopes;
import dev.crownest.sandbox.shared.CommandRejected;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

import static dev.crownest.sandbox.shared.Events.SCHEMA_VERSION;
import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/** An API key of a tenant: issued with scopes and a secret hash, later maybe revoked (a tombstone). */
@Aggregate
public class ApiKeyAggregate {
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    @AggregateIdentifier
    private String keyId;
    private String tenantId;
    private boolean revoked;

    protected ApiKeyAggregate() {
        // Axon rebuilds from events.
    }

    @CommandHandler
    public ApiKeyAggregate(IssueApiKey command, Clock clock) {
        if (command.name() == null || command.name().isBlank()) {
            throw CommandRejected.invalid("invalid_name", "a key needs a name");
        }
        if (command.scopes() == null || command.scopes().isEmpty() || !Scopes.ALL.containsAll(command.scopes())) {
            throw CommandRejected.invalid("invalid_scopes", "scopes must be a non-empty subset of " + Scopes.ALL);
        }
        if (command.secretHash() == null || !SHA256_HEX.matcher(command.secretHash()).matches()) {
            // Says nothing about the value: it might be a secret pasted by mistake.
            throw CommandRejected.invalid("invalid_secret_hash", "secretHash must be SHA-256 in lower-case hex");
        }
        apply(new ApiKeyCreated(UUID.randomUUID(), command.tenantId(), clock.instant(), SCHEMA_VERSION,
                command.keyId(), command.name(), List.copyOf(command.scopes().stream().distinct().toList()),
                command.projectId(), command.secretHash(), command.actor()));
    }

    @CommandHandler
    public void handle(RevokeApiKey command, Clock clock) {
        if (!tenantId.equals(command.tenantId())) {
            throw CommandRejected.notFound("key_not_found", "no key " + keyId);
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
