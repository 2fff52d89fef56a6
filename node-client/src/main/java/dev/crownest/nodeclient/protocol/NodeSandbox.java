package dev.crownest.nodeclient.protocol;

import java.time.Instant;

/** A sandbox as a node agent sees it. {@code state}: running, stopped. */
public record NodeSandbox(
        String sandboxId,
        String tenantId,
        String state,
        String template,
        Instant startedAt,
        Instant expiresAt,
        String nodeId) {}
