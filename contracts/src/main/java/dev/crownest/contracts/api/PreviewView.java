package dev.crownest.contracts.api;

import java.time.Instant;

/**
 * A preview as the API shows it. {@code status}: active or closed. {@code path} is where the gateway
 * serves it ({@code /v1/previews/{id}/}); {@code url} is that path on the gateway that answered (filled
 * in by the gateway). Access needs an API key with {@code previews:read} or a token-mode browser session.
 */
public record PreviewView(
        String id,
        String sandboxId,
        String projectId,
        int port,
        String status,
        String path,
        String url,
        Instant createdAt,
        Instant closedAt) {

    /** The same preview with its absolute URL. */
    public PreviewView withUrl(String url) {
        return new PreviewView(id, sandboxId, projectId, port, status, path, url, createdAt, closedAt);
    }
}
