package dev.crownest.contracts.api;

import dev.crownest.contracts.node.WorkspacePaths;
import java.util.List;
import java.util.Map;

/**
 * Body of {@code POST /v1/sandboxes/{id}/commands}. {@code cwd} defaults to /workspace,
 * {@code timeoutMs} to 60000; {@code stream} true answers server-sent events instead of the result;
 * {@code collect}: files under /workspace that become artifacts when the command exits 0 (at most 20).
 */
public record RunCommandRequest(
        String cmd,
        String cwd,
        Map<String, String> env,
        Long timeoutMs,
        String stdin,
        Boolean stream,
        List<CollectFile> collect) {

    /** The timeout of a run that names none. */
    public static final long DEFAULT_TIMEOUT_MS = 60_000;
    /** Where a run that names no (or a blank) {@code cwd} starts. */
    public static final String DEFAULT_CWD = WorkspacePaths.ROOT;

    /** A run that collects nothing. */
    public RunCommandRequest(
            String cmd, String cwd, Map<String, String> env, Long timeoutMs, String stdin, Boolean stream) {
        this(cmd, cwd, env, timeoutMs, stdin, stream, null);
    }

    /**
     * The one timeout rule: {@value #DEFAULT_TIMEOUT_MS} when absent, else the value as given. A value
     * below 1 is not a request for the default: sandbox-service refuses it (400 {@code invalid_timeout}).
     */
    public long timeoutMsOrDefault() {
        return timeoutMs == null ? DEFAULT_TIMEOUT_MS : timeoutMs;
    }

    /** The working directory: {@link #DEFAULT_CWD} when absent or blank. */
    public String cwdOrDefault() {
        return cwd == null || cwd.isBlank() ? DEFAULT_CWD : cwd;
    }
}
