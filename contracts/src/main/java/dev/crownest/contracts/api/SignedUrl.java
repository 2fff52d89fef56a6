package dev.crownest.contracts.api;

import java.time.Instant;

/**
 * A staged signed URL: {@code method} on {@code url} reads (GET) or writes (PUT, raw body or
 * multipart/form-data with a {@code file} part) exactly the file it was made for, with no API key,
 * until {@code expiresAt}.
 */
public record SignedUrl(String url, String method, String path, Instant expiresAt) {}
