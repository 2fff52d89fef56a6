package dev.crownest.sandbox.preview;

import static dev.crownest.sandbox.eventstore.Events.SCHEMA_VERSION;
import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import dev.crownest.contracts.api.ApiException;
import dev.crownest.contracts.event.PreviewEvent.PreviewClosed;
import dev.crownest.contracts.event.PreviewEvent.PreviewCreated;
import java.time.Clock;
import java.util.UUID;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

/**
 * A preview of one port of a sandbox: active, then closed once. "One active preview per sandbox and
 * port" spans aggregates, so the read model's unique index enforces it (the projection commits with
 * the events); whether the sandbox runs is checked against the read model before dispatch.
 */
@Aggregate
public class PreviewAggregate {
    static final int MIN_PORT = 1;
    static final int MAX_PORT = 65535;

    @AggregateIdentifier
    private String previewId;

    private String sandboxId;
    private String tenantId;
    private int port;
    private boolean closed;

    protected PreviewAggregate() {
        // Axon rebuilds from events.
    }

    @CommandHandler
    public PreviewAggregate(CreatePreview command, Clock clock) {
        if (command.port() < MIN_PORT || command.port() > MAX_PORT) {
            throw ApiException.badRequest("invalid_port", "port must be between " + MIN_PORT + " and " + MAX_PORT);
        }
        apply(new PreviewCreated(
                UUID.randomUUID(),
                command.tenantId(),
                clock.instant(),
                SCHEMA_VERSION,
                command.previewId(),
                command.sandboxId(),
                command.projectId(),
                command.port(),
                command.actor()));
    }

    @CommandHandler
    public void handle(ClosePreview command, Clock clock) {
        if (closed) {
            return;
        }
        apply(new PreviewClosed(
                UUID.randomUUID(),
                tenantId,
                clock.instant(),
                SCHEMA_VERSION,
                previewId,
                sandboxId,
                port,
                command.reason(),
                command.actor()));
    }

    @EventSourcingHandler
    void on(PreviewCreated event) {
        previewId = event.previewId();
        sandboxId = event.sandboxId();
        tenantId = event.tenantId();
        port = event.port();
    }

    @EventSourcingHandler
    void on(PreviewClosed event) {
        closed = true;
    }
}
