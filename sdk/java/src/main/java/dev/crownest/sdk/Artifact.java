package dev.crownest.sdk;

import java.time.Instant;

/** A file a run collected ({@code collect}); readable after its sandbox ended. */
public record Artifact(
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
