package dev.crownest.contracts.api;

import java.time.Instant;

/**
 * A snapshot as the API shows it: what a pause saved of a sandbox (memory, processes, root and
 * /workspace). {@code status}: {@code current} (the sandbox is paused at it: it can be resumed or
 * forked), {@code superseded} (the sandbox was resumed since, or paused again), {@code deleted}.
 * {@code sizeBytes}: what it holds on its node's disk while current (null until the node reported it).
 */
public record SnapshotView(
        String id,
        String sandboxId,
        String template,
        String status,
        Instant createdAt,
        Long sizeBytes,
        String projectId) {}
