package dev.crownest.contracts.event;

import dev.crownest.contracts.api.TemplateStepLog;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A tenant's custom templates, published on {@link Topics#TEMPLATE_EVENTS} keyed by template id. The
 * template id ({@code tpl-...}) is also its name on the nodes; {@code name} is the tenant's own.
 */
public sealed interface TemplateEvent extends PlatformEvent {

    String templateId();

    String name();

    @Override
    default String resourceId() {
        return templateId();
    }

    /**
     * Build {@code name} from template {@code from} (a node template name: a platform one or another
     * custom template's id): write {@code files}, then run each of {@code run} in order.
     */
    record TemplateBuildRequested(
            UUID eventId,
            String tenantId,
            Instant occurredAt,
            int schemaVersion,
            String templateId,
            String name,
            String from,
            String fromName,
            List<String> run,
            Map<String, String> files,
            String actor)
            implements TemplateEvent {}

    /** The template is ready: creates may use it. */
    record TemplateBuilt(
            UUID eventId,
            String tenantId,
            Instant occurredAt,
            int schemaVersion,
            String templateId,
            String name,
            long sizeBytes,
            long durationMs,
            String nodeId,
            List<TemplateStepLog> steps,
            String actor)
            implements TemplateEvent {}

    /** The build failed: at step {@code failedStep} (1-based; null when not at a step) for {@code reason}. */
    record TemplateBuildFailed(
            UUID eventId,
            String tenantId,
            Instant occurredAt,
            int schemaVersion,
            String templateId,
            String name,
            Integer failedStep,
            String reason,
            List<TemplateStepLog> steps,
            String actor)
            implements TemplateEvent {}

    /** Deleted: its name is free again, and nodes drop its image. */
    record TemplateDeleted(
            UUID eventId,
            String tenantId,
            Instant occurredAt,
            int schemaVersion,
            String templateId,
            String name,
            String actor)
            implements TemplateEvent {}
}
