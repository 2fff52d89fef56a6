package dev.crownest.contracts.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A sandbox as the API shows it. {@code status}: starting, running, paused, killed, expired, failed.
 * {@code snapshotId}: the snapshot of its latest pause (the one it is paused at while paused), or
 * null if it was never paused. {@code fromSnapshot}: the snapshot a fork started from, else null.
 */
public record SandboxView(
        String id,
        String status,
        String template,
        String projectId,
        Instant createdAt,
        Instant startedAt,
        Instant endedAt,
        Instant expiresAt,
        int cpu,
        int memoryMb,
        int diskMb,
        String network,
        List<String> allowedHosts,
        Map<String, String> metadata,
        String nodeId,
        String failureReason,
        String snapshotId,
        String fromSnapshot) {}
