package dev.crownest.contracts.api;

import java.time.Instant;

/**
 * A preview as the API shows it. {@code status}: active or closed. {@code url} is its own origin,
 * {@code http://{port}-{sandbox id without "sbx_"}.{preview domain}:{gateway port}/} (filled in by the
 * gateway). Access needs an API key with {@code previews:read} or a token-mode browser session.
 */
public record PreviewView(
        String id,
        String sandboxId,
        String projectId,
        int port,
        String status,
        String url,
        Instant createdAt,
        Instant closedAt) {

    /** The same preview with its absolute URL. */
    public PreviewView withUrl(String url) {
        return new PreviewView(id, sandboxId, projectId, port, status, url, createdAt, closedAt);
    }
}
