package dev.crownest.contracts.api;

import java.time.Instant;
import java.util.List;

/**
 * A Command record. {@code status}: running or finished. {@code exitCode}, {@code finishedAt} and
 * {@code durationMs} are null while running; stdout and stderr are capped, {@code truncated} says so;
 * {@code cancelled}: a cancel stopped it. {@code collect}: the files it declared; {@code artifacts}: those
 * collected after an exit 0; {@code collectErrors}: declared files that could not be (the command still finished).
 */
public record CommandView(
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
        List<CollectFile> collect,
        List<ArtifactView> artifacts,
        List<CollectError> collectErrors) {

    /** A record without artifacts. */
    public CommandView(
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
            Long durationMs) {
        this(
                id,
                sandboxId,
                cmd,
                cwd,
                status,
                exitCode,
                stdout,
                stderr,
                truncated,
                timedOut,
                cancelled,
                startedAt,
                finishedAt,
                durationMs,
                List.of(),
                List.of(),
                List.of());
    }
}
