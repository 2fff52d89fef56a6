package dev.crownest.contracts.event;

import java.time.Instant;
import java.util.UUID;

/** Projects of a tenant, published on {@link Topics#KEY_EVENTS} (the identity stream), keyed by tenant id. */
public sealed interface ProjectEvent extends PlatformEvent {

    String projectId();

    @Override
    default String resourceId() {
        return projectId();
    }

    /** A tenant admin (or the operator for the tenant) created a project. */
    record ProjectCreated(
            UUID eventId,
            String tenantId,
            Instant occurredAt,
            int schemaVersion,
            String projectId,
            String name,
            String actor)
            implements ProjectEvent {}
}
