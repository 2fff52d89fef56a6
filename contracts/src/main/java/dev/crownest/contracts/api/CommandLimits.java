package dev.crownest.contracts.api;

import java.util.Map;

/**
 * The rules a run must meet before anything runs, in one place for the two that decide runs: the
 * Command aggregate (the control plane's runs) and the gateway (the runs it makes on the node itself).
 */
public final class CommandLimits {
    /** The longest timeout a run may ask for. */
    public static final long MAX_TIMEOUT_MS = 3_600_000;

    private CommandLimits() {}

    /** 400 {@code invalid_command}, {@code invalid_timeout} or {@code invalid_env} when a rule is broken. */
    public static void check(String cmd, long timeoutMs, Map<String, String> env) {
        if (cmd == null || cmd.isBlank()) {
            throw ApiException.badRequest("invalid_command", "cmd is required");
        }
        if (timeoutMs < 1 || timeoutMs > MAX_TIMEOUT_MS) {
            throw ApiException.badRequest("invalid_timeout", "timeoutMs must be between 1 and " + MAX_TIMEOUT_MS);
        }
        if (env != null && env.entrySet().stream().anyMatch(e -> e.getKey() == null || e.getValue() == null)) {
            throw ApiException.badRequest("invalid_env", "env keys and values must be strings, not null");
        }
    }
}
