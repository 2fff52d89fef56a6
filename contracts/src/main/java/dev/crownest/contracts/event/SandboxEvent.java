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

    /**
     * Accepted by the control plane; the sandbox is {@code starting} until a node reports it. A fork
     * names the snapshot it starts from ({@code fromSnapshot}) and the paused sandbox that holds it
     * ({@code sourceSandboxId}); both are null for a create from a template.
     */
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
            String actor,
            String fromSnapshot,
            String sourceSandboxId)
            implements SandboxEvent {

        /** A create from a template (not a fork). */
        public SandboxCreated(
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
                String actor) {
            this(
                    eventId,
                    tenantId,
                    occurredAt,
                    schemaVersion,
                    sandboxId,
                    projectId,
                    template,
                    ttlMs,
                    expiresAt,
                    network,
                    allowedHosts,
                    cpu,
                    memoryMb,
                    diskMb,
                    env,
                    metadata,
                    actor,
                    null,
                    null);
        }
    }

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

    /**
     * It ended on its node: the node could not start it, it died there, or the node itself was lost
     * (reason {@code node_lost}). {@code stoppedAt} is when it stopped running if that is known to be
     * earlier than {@code occurredAt}: a lost node's last heartbeat, where its metering interval closes.
     * Null otherwise (and in events of before the field): it stopped at {@code occurredAt}.
     */
    record SandboxFailed(
            UUID eventId,
            String tenantId,
            Instant occurredAt,
            int schemaVersion,
            String sandboxId,
            String reason,
            String actor,
            Instant stoppedAt)
            implements SandboxEvent {

        /** A failure that stopped it when it was recorded. */
        public SandboxFailed(
                UUID eventId,
                String tenantId,
                Instant occurredAt,
                int schemaVersion,
                String sandboxId,
                String reason,
                String actor) {
            this(eventId, tenantId, occurredAt, schemaVersion, sandboxId, reason, actor, null);
        }

        /** When it stopped running: {@code stoppedAt} if known, else {@code occurredAt}. */
        public Instant stoppedRunningAt() {
            return stoppedAt == null || stoppedAt.isAfter(occurredAt) ? occurredAt : stoppedAt;
        }
    }

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
     * Paused on request: its node checkpoints it to an image, the snapshot {@code snapshotId}
     * ({@code snp_...}), and its seconds stop (the node samples no usage for it). Its TTL stops too:
     * {@code remainingTtlMs} is what it had left, and runs again on resume.
     */
    record SandboxPaused(
            UUID eventId,
            String tenantId,
            Instant occurredAt,
            int schemaVersion,
            String sandboxId,
            String actor,
            String snapshotId,
            Long remainingTtlMs)
            implements SandboxEvent {}

    /**
     * Resumed on request: its node restores it from the image of snapshot {@code snapshotId}, which
     * is superseded from now on. Its deadline is {@code expiresAt}: the TTL it had left when paused,
     * counted from now.
     */
    record SandboxResumed(
            UUID eventId,
            String tenantId,
            Instant occurredAt,
            int schemaVersion,
            String sandboxId,
            String actor,
            String snapshotId,
            Instant expiresAt)
            implements SandboxEvent {}

    /** The node saved snapshot {@code snapshotId}: {@code sizeBytes} on its disk (image and sandbox disk). */
    record SnapshotStored(
            UUID eventId,
            String tenantId,
            Instant occurredAt,
            int schemaVersion,
            String sandboxId,
            String snapshotId,
            long sizeBytes,
            String actor)
            implements SandboxEvent {}

    /**
     * Snapshot {@code snapshotId} was deleted on request: it can no longer be resumed or forked
     * (410 {@code snapshot_gone}). Deleting the snapshot a sandbox is paused at ends that sandbox too
     * (a {@link SandboxKilled} with reason {@code snapshot_deleted} follows).
     */
    record SnapshotDeleted(
            UUID eventId,
            String tenantId,
            Instant occurredAt,
            int schemaVersion,
            String sandboxId,
            String snapshotId,
            String actor)
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
