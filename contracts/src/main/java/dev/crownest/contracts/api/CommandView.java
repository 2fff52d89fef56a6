package dev.crownest.contracts.api;

import java.time.Instant;

/**
 * A Command record. {@code status}: running or finished. {@code exitCode}, {@code finishedAt} and
 * {@code durationMs} are null while running; stdout and stderr are capped, {@code truncated} says so;
 * {@code cancelled}: a cancel stopped it.
 */
public record CommandView(String id, String sandboxId, String cmd, String cwd, String status,
                          Integer exitCode, String stdout, String stderr, boolean truncated, boolean timedOut, boolean cancelled,
                          Instant startedAt, Instant finishedAt, Long durationMs) {
}
