package dev.crownest.nodeclient.protocol;

import java.time.Instant;

/**
 * One line of an exec stream. For {@code stdout}/{@code stderr}, {@code data} is base64 of the bytes.
 * The final line has stream {@code exit}, the exit code (124 style is not used: {@code timedOut}
 * says the process group was killed at its timeout, {@code cancelled} that it was killed by a cancel
 * request), and the process's start and end. {@code cancelled} is absent (null) on older nodes and
 * when the command was not cancelled. The exit of a recorded run ({@link ExecRequest#record()}) carries
 * the output as its record keeps it: {@code stdout}, {@code stderr} and {@code truncated} (else null).
 */
public record ExecChunk(
        String stream,
        String data,
        Integer exitCode,
        Boolean timedOut,
        Instant startedAt,
        Instant finishedAt,
        Boolean cancelled,
        String stdout,
        String stderr,
        Boolean truncated) {

    /** A chunk without kept output. */
    public ExecChunk(
            String stream,
            String data,
            Integer exitCode,
            Boolean timedOut,
            Instant startedAt,
            Instant finishedAt,
            Boolean cancelled) {
        this(stream, data, exitCode, timedOut, startedAt, finishedAt, cancelled, null, null, null);
    }

    /** A chunk without a cancel flag (output chunks, and exits of commands nobody cancelled). */
    public ExecChunk(
            String stream, String data, Integer exitCode, Boolean timedOut, Instant startedAt, Instant finishedAt) {
        this(stream, data, exitCode, timedOut, startedAt, finishedAt, null);
    }
}
