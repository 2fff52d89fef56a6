package dev.crownest.nodeclient.protocol;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Body of the node agent's {@code POST /node/v1/sandboxes}: start this sandbox. Idempotent by
 * {@code sandboxId}: a second call for a running sandbox answers the running one.
 */
public record NodeSandboxSpec(
        String sandboxId,
        String tenantId,
        String projectId,
        String template,
        int cpu,
        int memoryMb,
        int diskMb,
        String network,
        List<String> allowedHosts,
        Map<String, String> env,
        Instant expiresAt) {}
