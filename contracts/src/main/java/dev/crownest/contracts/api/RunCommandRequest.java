package dev.crownest.contracts.api;

import java.util.Map;

/**
 * Body of {@code POST /v1/sandboxes/{id}/commands}. {@code cwd} defaults to /workspace,
 * {@code timeoutMs} to 60000; {@code stream} true answers server-sent events instead of the result.
 */
public record RunCommandRequest(String cmd, String cwd, Map<String, String> env, Long timeoutMs,
                                String stdin, Boolean stream) {
}
