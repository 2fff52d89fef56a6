package dev.crownest.contracts.api;

/**
 * Body of {@code POST /v1/sandboxes/{id}/files/upload-url} and {@code .../download-url}: a URL that
 * reads or writes one file of one sandbox without an API key until it expires.
 *
 * @param path             the file, relative to /workspace or absolute under it
 * @param expiresInSeconds how long the URL works; null = the gateway's default (300 s), at most its maximum (3600 s)
 */
public record SignedUrlRequest(String path, Long expiresInSeconds) {}
