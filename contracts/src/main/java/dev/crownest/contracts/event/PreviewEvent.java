package dev.crownest.contracts.event;

import java.time.Instant;
import java.util.UUID;

/**
 * Previews of a sandbox's port (an authenticated URL at the gateway), published on
 * {@link Topics#SANDBOX_EVENTS} keyed by sandbox id, so they stay in order with their sandbox's end.
 */
public sealed interface PreviewEvent extends PlatformEvent {

    String previewId();

    String sandboxId();

    @Override
    default String resourceId() {
        return previewId();
    }

    /** A preview of {@code port} inside the sandbox is active: its URL answers authenticated callers. */
    record PreviewCreated(
            UUID eventId,
            String tenantId,
            Instant occurredAt,
            int schemaVersion,
            String previewId,
            String sandboxId,
            String projectId,
            int port,
            String actor)
            implements PreviewEvent {}

    /**
     * Closed on request ({@code reason} {@code closed}) or because its sandbox ended ({@code sandbox_ended},
     * actor {@code system:preview}); its URL answers 410 from then on.
     */
    record PreviewClosed(
            UUID eventId,
            String tenantId,
            Instant occurredAt,
            int schemaVersion,
            String previewId,
            String sandboxId,
            int port,
            String reason,
            String actor)
            implements PreviewEvent {}
}
