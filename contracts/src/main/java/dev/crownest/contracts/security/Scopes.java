package dev.crownest.contracts.security;

import java.util.List;

/** The singular {@code resource:action} scopes of API keys (the README lists what each allows). */
public final class Scopes {
    public static final String SANDBOXES_CREATE = "sandboxes:create";
    public static final String SANDBOXES_READ = "sandboxes:read";
    public static final String SANDBOXES_KILL = "sandboxes:kill";
    public static final String SANDBOXES_PAUSE = "sandboxes:pause";
    public static final String COMMANDS_RUN = "commands:run";
    public static final String COMMANDS_READ = "commands:read";
    public static final String COMMANDS_CANCEL = "commands:cancel";
    public static final String FILES_READ = "files:read";
    public static final String FILES_WRITE = "files:write";
    public static final String PREVIEWS_CREATE = "previews:create";
    public static final String PREVIEWS_READ = "previews:read";
    public static final String ARTIFACTS_READ = "artifacts:read";
    public static final String USAGE_READ = "usage:read";
    public static final String AUDIT_READ = "audit:read";
    public static final String TEMPLATES_READ = "templates:read";
    public static final String TEMPLATES_WRITE = "templates:write";

    /** Every tenant scope: what the default key that {@code ./crownest up} prints carries. */
    public static final List<String> ALL = List.of(
            SANDBOXES_CREATE,
            SANDBOXES_READ,
            SANDBOXES_KILL,
            SANDBOXES_PAUSE,
            COMMANDS_RUN,
            COMMANDS_READ,
            COMMANDS_CANCEL,
            FILES_READ,
            FILES_WRITE,
            PREVIEWS_CREATE,
            PREVIEWS_READ,
            ARTIFACTS_READ,
            USAGE_READ,
            AUDIT_READ,
            TEMPLATES_READ,
            TEMPLATES_WRITE);

    private Scopes() {}
}
