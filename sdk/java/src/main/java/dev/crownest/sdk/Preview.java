package dev.crownest.sdk;

import java.time.Instant;

/** An authenticated URL of a sandbox's port. */
public record Preview(
        String id,
        String sandboxId,
        String projectId,
        int port,
        String status,
        String url,
        Instant createdAt,
        Instant closedAt) {}
