package dev.crownest.sdk;

import java.time.Instant;

/** A URL that reads or writes one file with no key, until {@code expiresAt}; send it with {@code method}. */
public record SignedUrl(String url, String method, String path, Instant expiresAt) {}
