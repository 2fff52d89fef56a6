package dev.crownest.contracts.event;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Lifecycle of a sandbox, published on {@link Topics#SANDBOX_EVENTS}. */
public sealed interface SandboxEvent extends PlatformEvent {

    String sandboxId();

    @Override
    default String resourceId() {
        return sandboxId();
    }

    /** Accepted by the control plane; the sandbox is {@code starting} until a node reports it. */
    record SandboxCreated(
            UUID eventId,
            String tenantId,
            Instant occurredAt,
            int schemaVersion,
            String sandboxId,
            String projectId,
            String template,
            long ttlMs,
            Instant expiresAt,
            NetworkMode network,
            List<String> allowedHosts,
            int cpu,
            int memoryMb,
            int diskMb,
            Map<String, String> env,
            Map<String, String> metadata,
            String actor)
            implements SandboxEvent {}

    /** A node runs it; it is {@code running} from {@code occurredAt}. */
    record SandboxStarted(
            UUID eventId,
            String tenantId,
            Instant occurredAt,
            int schemaVersion,
            String sandboxId,
            String nodeId,
            String actor)
            implements SandboxEvent {}

    /** The node could not start it; nothing is left running. */
    record SandboxFailed(
            UUID eventId,
            String tenantId,
            Instant occurredAt,
            int schemaVersion,
            String sandboxId,
            String reason,
            String actor)
            implements SandboxEvent {}

    /** Killed on request: a tombstone of who and when. */
    record SandboxKilled(
            UUID eventId,
            String tenantId,
            Instant occurredAt,
            int schemaVersion,
            String sandboxId,
            String reason,
            String actor)
            implements SandboxEvent {}

    /**
     * Paused on request: its node checkpoints it to an image, and its seconds stop (the node samples
     * no usage for it).
     */
    record SandboxPaused(
            UUID eventId, String tenantId, Instant occurredAt, int schemaVersion, String sandboxId, String actor)
            implements SandboxEvent {}

    /** Resumed on request: its node restores it from the image. */
    record SandboxResumed(
            UUID eventId, String tenantId, Instant occurredAt, int schemaVersion, String sandboxId, String actor)
            implements SandboxEvent {}

    /**
     * Its node could not pause it ({@code reason}, as the node said): it never stopped and is
     * {@code running} again. Actor {@code node}.
     */
    record SandboxPauseFailed(
            UUID eventId,
            String tenantId,
            Instant occurredAt,
            int schemaVersion,
            String sandboxId,
            String reason,
            String actor)
            implements SandboxEvent {}

    /**
     * Its node could not resume it ({@code reason}): it stays {@code paused}, its image kept, and may be
     * resumed again. Actor {@code node}.
     */
    record SandboxResumeFailed(
            UUID eventId,
            String tenantId,
            Instant occurredAt,
            int schemaVersion,
            String sandboxId,
            String reason,
            String actor)
            implements SandboxEvent {}

    /** Its deadline moved to {@code expiresAt} ({@code ttlMs} from {@code occurredAt}). */
    record SandboxTtlExtended(
            UUID eventId,
            String tenantId,
            Instant occurredAt,
            int schemaVersion,
            String sandboxId,
            long ttlMs,
            Instant expiresAt,
            String actor)
            implements SandboxEvent {}

    /** Its TTL ran out. */
    record SandboxExpired(
            UUID eventId, String tenantId, Instant occurredAt, int schemaVersion, String sandboxId, String actor)
            implements SandboxEvent {}
}
