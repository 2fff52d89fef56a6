package dev.crownest.contracts.api;

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

    /** A run that collects nothing. */
    public RunCommandRequest(
            String cmd, String cwd, Map<String, String> env, Long timeoutMs, String stdin, Boolean stream) {
        this(cmd, cwd, env, timeoutMs, stdin, stream, null);
    }
}
