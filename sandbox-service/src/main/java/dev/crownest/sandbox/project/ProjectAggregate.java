package dev.crownest.sandbox.project;

import static dev.crownest.sandbox.eventstore.Events.SCHEMA_VERSION;
import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import dev.crownest.contracts.event.ProjectEvent.ProjectCreated;
import dev.crownest.sandbox.naming.ResourceNames;
import java.time.Clock;
import java.util.UUID;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

/** A project of a tenant: what a project-restricted key, a quota bucket and usage rows are scoped to. */
@Aggregate
public class ProjectAggregate {

    @AggregateIdentifier
    private String projectId;

    protected ProjectAggregate() {
        // Axon rebuilds from events.
    }

    @CommandHandler
    public ProjectAggregate(CreateProject command, Clock clock) {
        String name = ResourceNames.require(command.name(), "a project");
        apply(new ProjectCreated(
                UUID.randomUUID(),
                command.tenantId(),
                clock.instant(),
                SCHEMA_VERSION,
                command.projectId(),
                name,
                command.actor()));
    }

    @EventSourcingHandler
    void on(ProjectCreated event) {
        projectId = event.projectId();
    }
}
