package dev.crownest.contracts.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * An API key as {@code GET /v1/keys} shows it: never its secret nor its hash. {@code key} (the secret)
 * is set only in the answer to its creation, the one time it is shown.
 *
 * @param status    {@code active} or {@code revoked}
 * @param createdBy the admin session (or {@code operator}) that created it
 */
public record KeyView(
        String id,
        String name,
        List<String> scopes,
        String projectId,
        String status,
        Instant createdAt,
        Instant revokedAt,
        String createdBy,
        @JsonInclude(JsonInclude.Include.NON_NULL) String key) {}
