package dev.crownest.sdk;

import java.time.Instant;

/** A single-use browser token of a preview, and the URL that carries it. */
public record PreviewToken(String previewId, String token, String url, Instant expiresAt) {}
