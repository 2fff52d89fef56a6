package dev.crownest.contracts.event;

import dev.crownest.contracts.api.CollectError;
import dev.crownest.contracts.api.CollectFile;
import java.time.Instant;
import java.util.List;
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

    /**
     * Accepted and handed to the sandbox's node; the execution worker runs it and, after an exit 0,
     * collects the {@code collect} files (paths normalized relative to /workspace; null or empty: none).
     * {@code direct} true: the gateway ran it on its node itself (the data plane) and this records the
     * node's fact; the worker leaves it alone. Null on the control plane's runs.
     */
    record CommandStarted(
            UUID eventId,
            String tenantId,
            Instant occurredAt,
            int schemaVersion,
            String commandId,
            String sandboxId,
            String cmd,
            String cwd,
            Map<String, String> env,
            long timeoutMs,
            String stdin,
            String actor,
            List<CollectFile> collect,
            Boolean direct)
            implements CommandEvent {

        /** A run of the control plane (the worker runs it). */
        public CommandStarted(
                UUID eventId,
                String tenantId,
                Instant occurredAt,
                int schemaVersion,
                String commandId,
                String sandboxId,
                String cmd,
                String cwd,
                Map<String, String> env,
                long timeoutMs,
                String stdin,
                String actor,
                List<CollectFile> collect) {
            this(
                    eventId,
                    tenantId,
                    occurredAt,
                    schemaVersion,
                    commandId,
                    sandboxId,
                    cmd,
                    cwd,
                    env,
                    timeoutMs,
                    stdin,
                    actor,
                    collect,
                    null);
        }

        /** Whether the node runs it already, from the data plane. */
        public boolean ranByGateway() {
            return Boolean.TRUE.equals(direct);
        }

        /** A command that collects nothing. */
        public CommandStarted(
                UUID eventId,
                String tenantId,
                Instant occurredAt,
                int schemaVersion,
                String commandId,
                String sandboxId,
                String cmd,
                String cwd,
                Map<String, String> env,
                long timeoutMs,
                String stdin,
                String actor) {
            this(
                    eventId,
                    tenantId,
                    occurredAt,
                    schemaVersion,
                    commandId,
                    sandboxId,
                    cmd,
                    cwd,
                    env,
                    timeoutMs,
                    stdin,
                    actor,
                    null);
        }
    }

    /**
     * A declared file of the command was stored as an artifact (before the command's {@link CommandFinished}).
     * {@code storageKey} names it in the artifact store ({@code tenant/sandbox/artifactId}).
     */
    record ArtifactCollected(
            UUID eventId,
            String tenantId,
            Instant occurredAt,
            int schemaVersion,
            String commandId,
            String sandboxId,
            String projectId,
            String artifactId,
            String path,
            String name,
            long size,
            String sha256,
            String contentType,
            String storageKey,
            String actor)
            implements CommandEvent {}

    /** Someone asked to stop it: the node kills its process group; {@link CommandFinished} follows. */
    record CommandCancelRequested(
            UUID eventId,
            String tenantId,
            Instant occurredAt,
            int schemaVersion,
            String commandId,
            String sandboxId,
            String actor)
            implements CommandEvent {}

    /**
     * The process exited (or was killed at its timeout, or on a cancel); stdout and stderr are capped,
     * see {@code truncated}. {@code collectErrors}: declared files that did not become artifacts.
     */
    record CommandFinished(
            UUID eventId,
            String tenantId,
            Instant occurredAt,
            int schemaVersion,
            String commandId,
            String sandboxId,
            int exitCode,
            String stdout,
            String stderr,
            boolean truncated,
            boolean timedOut,
            boolean cancelled,
            Instant startedAt,
            Instant finishedAt,
            long durationMs,
            String actor,
            List<CollectError> collectErrors)
            implements CommandEvent {

        /** A finish without collect errors. */
        public CommandFinished(
                UUID eventId,
                String tenantId,
                Instant occurredAt,
                int schemaVersion,
                String commandId,
                String sandboxId,
                int exitCode,
                String stdout,
                String stderr,
                boolean truncated,
                boolean timedOut,
                boolean cancelled,
                Instant startedAt,
                Instant finishedAt,
                long durationMs,
                String actor) {
            this(
                    eventId,
                    tenantId,
                    occurredAt,
                    schemaVersion,
                    commandId,
                    sandboxId,
                    exitCode,
                    stdout,
                    stderr,
                    truncated,
                    timedOut,
                    cancelled,
                    startedAt,
                    finishedAt,
                    durationMs,
                    actor,
                    null);
        }
    }
}
