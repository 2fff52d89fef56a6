package dev.crownest.contracts.event;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** A command run in a sandbox, published on {@link Topics#COMMAND_EVENTS}. */
public sealed interface CommandEvent extends PlatformEvent {

    String commandId();

    String sandboxId();

    @Override
    default String resourceId() {
        return commandId();
    }

    /** Accepted and handed to the sandbox's node; the execution worker runs it. */
    record CommandStarted(UUID eventId, String tenantId, Instant occurredAt, int schemaVersion,
                          String commandId, String sandboxId, String cmd, String cwd,
                          Map<String, String> env, long timeoutMs, String stdin, String actor) implements CommandEvent {
    }

    /** Someone asked to stop it: the node kills its process group; {@link CommandFinished} follows. */
    record CommandCancelRequested(UUID eventId, String tenantId, Instant occurredAt, int schemaVersion,
                                  String commandId, String sandboxId, String actor) implements CommandEvent {
    }

    /**
     * The process exited (or was killed at its timeout, or on a cancel); stdout and stderr are capped,
     * see {@code truncated}.
     */
    record CommandFinished(UUID eventId, String tenantId, Instant occurredAt, int schemaVersion,
                           String commandId, String sandboxId, int exitCode, String stdout, String stderr,
                           boolean truncated, boolean timedOut, boolean cancelled, Instant startedAt, Instant finishedAt, long durationMs,
                           String actor) implements CommandEvent {
    }
}
