package dev.crownest.contracts.api;

import java.time.Instant;

/**
 * Answer of {@code POST /v1/sandboxes/{id}/previews/{pid}/tokens}: a short-lived, single-use token for
 * one preview. Open {@code url} in a browser: the gateway exchanges the token for an HttpOnly session
 * cookie scoped to the preview's path and redirects to the preview.
 */
public record PreviewTokenView(String previewId, String token, String url, Instant expiresAt) {}
