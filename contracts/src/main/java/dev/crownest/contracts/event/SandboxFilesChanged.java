package dev.crownest.contracts.event;

import java.time.Instant;
import java.util.UUID;

/**
 * A change to a sandbox's /workspace through the files API (or a signed write URL), published by the
 * gateway that made it once the node answered, so the audit log records who changed what.
 * {@code operation}: written, deleted, mkdir, moved ({@code toPath} then says where to); {@code actor}:
 * the API key id (for a signed URL, the key that made it).
 */
public record SandboxFilesChanged(
        UUID eventId,
        String tenantId,
        Instant occurredAt,
        int schemaVersion,
        String sandboxId,
        String operation,
        String path,
        String toPath,
        String actor)
        implements PlatformEvent {
    @Override
    public String resourceId() {
        return sandboxId;
    }
}
