package dev.crownest.contracts.node;

import java.time.Instant;

/**
 * One line of an exec stream. For {@code stdout}/{@code stderr}, {@code data} is base64 of the bytes.
 * The final line has stream {@code exit}, the exit code (124 style is not used: {@code timedOut}
 * says the process group was killed at its timeout), and the process's start and end.
 */
public record ExecChunk(String stream, String data, Integer exitCode, Boolean timedOut,
                        Instant startedAt, Instant finishedAt) {
}
