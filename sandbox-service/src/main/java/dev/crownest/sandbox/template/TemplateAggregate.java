package dev.crownest.sandbox.template;

import static dev.crownest.sandbox.eventstore.Events.SCHEMA_VERSION;
import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import dev.crownest.contracts.event.TemplateEvent.TemplateBuildFailed;
import dev.crownest.contracts.event.TemplateEvent.TemplateBuildRequested;
import dev.crownest.contracts.event.TemplateEvent.TemplateBuilt;
import dev.crownest.contracts.event.TemplateEvent.TemplateDeleted;
import java.time.Clock;
import java.util.UUID;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

/**
 * A tenant's custom template: requested (building), then built or failed once, then deleted once.
 * "One name per tenant" spans aggregates, so the read model's unique index enforces it; whether a
 * sandbox still uses it is checked against the read model before a delete is dispatched.
 */
@Aggregate
public class TemplateAggregate {
    @AggregateIdentifier
    private String templateId;

    private String tenantId;
    private String name;
    private boolean building;
    private boolean deleted;

    protected TemplateAggregate() {
        // Axon rebuilds from events.
    }

    @CommandHandler
    public TemplateAggregate(CreateTemplate command, Clock clock) {
        TemplateRules.validate(command.name(), command.run(), command.files());
        apply(new TemplateBuildRequested(
                UUID.randomUUID(),
                command.tenantId(),
                clock.instant(),
                SCHEMA_VERSION,
                command.templateId(),
                command.name(),
                command.from(),
                command.fromName(),
                command.run(),
                command.files(),
                command.actor()));
    }

    /** Once: a second report of the same build (a retried worker) changes nothing. */
    @CommandHandler
    public void handle(RecordTemplateBuild command, Clock clock) {
        if (!building || deleted) {
            return;
        }
        var outcome = command.outcome();
        String actor = outcome.nodeId() == null ? "node" : outcome.nodeId();
        if (outcome.built()) {
            apply(new TemplateBuilt(
                    UUID.randomUUID(),
                    tenantId,
                    clock.instant(),
                    SCHEMA_VERSION,
                    templateId,
                    name,
                    outcome.sizeBytes(),
                    outcome.durationMs(),
                    outcome.nodeId(),
                    outcome.steps(),
                    actor));
        } else {
            apply(new TemplateBuildFailed(
                    UUID.randomUUID(),
                    tenantId,
                    clock.instant(),
                    SCHEMA_VERSION,
                    templateId,
                    name,
                    outcome.failedStep(),
                    outcome.reason(),
                    outcome.steps(),
                    actor));
        }
    }

    @CommandHandler
    public void handle(DeleteTemplate command, Clock clock) {
        if (deleted) {
            return;
        }
        apply(new TemplateDeleted(
                UUID.randomUUID(), tenantId, clock.instant(), SCHEMA_VERSION, templateId, name, command.actor()));
    }

    @EventSourcingHandler
    void on(TemplateBuildRequested event) {
        templateId = event.templateId();
        tenantId = event.tenantId();
        name = event.name();
        building = true;
    }

    @EventSourcingHandler
    void on(TemplateBuilt event) {
        building = false;
    }

    @EventSourcingHandler
    void on(TemplateBuildFailed event) {
        building = false;
    }

    @EventSourcingHandler
    void on(TemplateDeleted event) {
        deleted = true;
    }
}
