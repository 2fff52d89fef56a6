package dev.crownest.sdk;

import java.time.Instant;
import java.util.List;

/**
 * A command's record ({@code GET /v1/sandboxes/{id}/commands/{cid}}). Its stdout and stderr are the kept
 * copies, cut at 512 KiB per stream ({@code truncated}).
 *
 * @param status   {@code running} or {@code finished}
 * @param exitCode null while running
 */
public record CommandRecord(
        String id,
        String sandboxId,
        String cmd,
        String cwd,
        String status,
        Integer exitCode,
        String stdout,
        String stderr,
        boolean truncated,
        boolean timedOut,
        boolean cancelled,
        Instant startedAt,
        Instant finishedAt,
        Long durationMs,
        List<Artifact> artifacts,
        List<CollectError> collectErrors) {

    /** Whether the command has ended (its exit code is known). */
    public boolean finished() {
        return "finished".equals(status);
    }
}
