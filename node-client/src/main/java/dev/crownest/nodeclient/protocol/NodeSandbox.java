package dev.crownest.nodeclient.protocol;

import java.time.Instant;

/**
 * A sandbox as a node agent sees it. {@code state}: running, paused. {@code snapshotId} and
 * {@code snapshotBytes}: while paused, the snapshot it is at and what it holds on the node's disk.
 */
public record NodeSandbox(
        String sandboxId,
        String tenantId,
        String state,
        String template,
        Instant startedAt,
        Instant expiresAt,
        String nodeId,
        String snapshotId,
        Long snapshotBytes) {}
