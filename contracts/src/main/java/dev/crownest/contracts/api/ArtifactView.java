package dev.crownest.contracts.api;

import java.time.Instant;

/**
 * A collected file, stored durably: it outlives its sandbox. {@code path} is relative to /workspace;
 * {@code sha256} (hex) is also the content's ETag; {@code contentType} is guessed from {@code name}.
 */
public record ArtifactView(
        String id,
        String sandboxId,
        String commandId,
        String projectId,
        String name,
        String path,
        long size,
        String sha256,
        String contentType,
        Instant createdAt) {}
