package dev.crownest.sdk;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A sandbox's record as the API answers it ({@code GET /v1/sandboxes/{id}}).
 *
 * @param status      {@code starting}, {@code running}, {@code paused}, {@code ended}, {@code failed}, ...
 * @param network     {@code off}, {@code restricted} or {@code open}
 * @param snapshotId  the snapshot a pause made (set on the pause answer)
 * @param fromSnapshot the snapshot a fork started from, or null
 */
public record SandboxInfo(
        String id,
        String status,
        String template,
        String projectId,
        Instant createdAt,
        Instant startedAt,
        Instant endedAt,
        Instant expiresAt,
        Integer cpu,
        Integer memoryMb,
        Integer diskMb,
        String network,
        List<String> allowedHosts,
        Map<String, String> metadata,
        String nodeId,
        String failureReason,
        String snapshotId,
        String fromSnapshot) {}
