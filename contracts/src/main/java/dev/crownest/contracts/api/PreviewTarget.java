package dev.crownest.contracts.api;

/**
 * Internal: what the gateway needs to serve a preview URL ({@code GET /internal/previews/{id}} of
 * sandbox-service): whose it is, whether it is active, and where its sandbox runs.
 *
 * @param status        active or closed
 * @param sandboxStatus the sandbox's status (starting, running, paused, killed, expired, failed)
 * @param nodeId        the node the sandbox runs on (null before it started)
 */
public record PreviewTarget(
        String previewId,
        String tenantId,
        String projectId,
        String sandboxId,
        int port,
        String status,
        String sandboxStatus,
        String nodeId) {}
