package dev.crownest.sdk;

import java.util.List;

/**
 * What a finished command gives: its exit code and output (the whole streamed output when it was
 * streamed, else the record's kept copy), duration, and the artifacts its {@code collect} made.
 *
 * @param exitCode null when the command never exited normally (e.g. the sandbox ended under it)
 */
public record CommandResult(
        String id,
        Integer exitCode,
        String stdout,
        String stderr,
        Long durationMs,
        boolean timedOut,
        List<Artifact> artifacts,
        List<CollectError> collectErrors) {

    static CommandResult of(CommandRecord record, String streamedStdout, String streamedStderr) {
        return new CommandResult(
                record.id(),
                record.exitCode(),
                streamedStdout != null ? streamedStdout : nonNull(record.stdout()),
                streamedStderr != null ? streamedStderr : nonNull(record.stderr()),
                record.durationMs(),
                record.timedOut(),
                record.artifacts() == null ? List.of() : record.artifacts(),
                record.collectErrors() == null ? List.of() : record.collectErrors());
    }

    static CommandResult of(CommandRecord record) {
        return of(record, null, null);
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }
}
