package dev.crownest.sdk;

import java.time.Instant;
import java.util.List;

/**
 * An API key's record.
 *
 * @param projectId the one project the key may act in, or null for the whole tenant
 * @param key       the secret: only in the create answer, shown once
 */
public record ApiKey(
        String id,
        String name,
        List<String> scopes,
        String projectId,
        String status,
        Instant createdAt,
        Instant revokedAt,
        String createdBy,
        String key) {}
