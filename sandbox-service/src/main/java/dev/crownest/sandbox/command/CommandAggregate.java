package dev.crownest.sandbox.command;

import static dev.crownest.sandbox.eventstore.Events.SCHEMA_VERSION;
import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import dev.crownest.contracts.api.ApiException;
import dev.crownest.contracts.api.CollectFile;
import dev.crownest.contracts.api.CommandLimits;
import dev.crownest.contracts.event.CommandEvent.ArtifactCollected;
import dev.crownest.contracts.event.CommandEvent.CommandCancelRequested;
import dev.crownest.contracts.event.CommandEvent.CommandFinished;
import dev.crownest.contracts.event.CommandEvent.CommandStarted;
import dev.crownest.contracts.event.CommandFact;
import dev.crownest.sandbox.artifact.CollectPaths;
import dev.crownest.sandbox.artifact.RecordArtifactCollected;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;

/**
 * One command run in a sandbox: started, then finished exactly once. Whether the sandbox runs is
 * checked against the read model before dispatch (it is another aggregate).
 */
@Aggregate
public class CommandAggregate {
    @AggregateIdentifier
    private String commandId;

    private String sandboxId;
    private String tenantId;
    private Instant startedAt;
    private boolean finished;
    private boolean cancelRequested;
    /** Declared collect paths, and those already stored (path to artifact id). */
    private final Set<String> declared = new HashSet<>();

    private final Map<String, String> collected = new HashMap<>();

    protected CommandAggregate() {
        // Axon rebuilds from events.
    }

    @CommandHandler
    public CommandAggregate(RunCommand command, Clock clock) {
        CommandLimits.check(command.cmd(), command.timeoutMs(), command.env());
        Map<String, String> env = command.env() == null ? Map.of() : command.env();
        List<CollectFile> collect = CollectPaths.normalize(command.collect());
        apply(new CommandStarted(
                UUID.randomUUID(),
                command.tenantId(),
                clock.instant(),
                SCHEMA_VERSION,
                command.commandId(),
                command.sandboxId(),
                command.cmd(),
                command.cwd(),
                Map.copyOf(env),
                command.timeoutMs(),
                command.stdin(),
                command.actor(),
                collect.isEmpty() ? null : collect));
    }

    /**
     * A node's fact that the gateway ran this command on it (the data plane): the command's start, once.
     * Creates the aggregate; a fact seen again (the relay resent it, or the exit brought it first)
     * changes nothing. The gateway checked the run's rules before the node ran it.
     */
    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public void handle(RecordCommandAccepted command) {
        if (commandId != null) {
            return;
        }
        CommandFact.Run run = command.run();
        apply(new CommandStarted(
                UUID.randomUUID(),
                run.tenantId(),
                command.acceptedAt(),
                SCHEMA_VERSION,
                run.commandId(),
                run.sandboxId(),
                run.cmd(),
                run.cwd(),
                run.env() == null ? Map.of() : Map.copyOf(run.env()),
                run.timeoutMs(),
                run.stdin(),
                run.actor(),
                null,
                true));
    }

    @CommandHandler
    public void handle(RecordCommandFinished command, Clock clock) {
        if (finished) {
            return; // a repeated report or fact: the first one counts
        }
        Instant now = clock.instant();
        Instant processStart = command.startedAt() == null ? startedAt : command.startedAt();
        Instant processEnd = command.finishedAt() == null ? now : command.finishedAt();
        long durationMs = Math.max(0, Duration.between(processStart, processEnd).toMillis());
        apply(new CommandFinished(
                UUID.randomUUID(),
                tenantId,
                now,
                SCHEMA_VERSION,
                commandId,
                sandboxId,
                command.exitCode(),
                nullToEmpty(command.stdout()),
                nullToEmpty(command.stderr()),
                command.truncated(),
                command.timedOut(),
                killedByCancel(command),
                processStart,
                processEnd,
                durationMs,
                command.actor(),
                command.collectErrors() == null || command.collectErrors().isEmpty()
                        ? null
                        : List.copyOf(command.collectErrors())));
    }

    /**
     * Indexes a collected file: only a declared path, once, and only before the finish (the worker
     * collects, then reports the exit). A second report of a path is a conflict the caller resolves
     * by reading the first.
     */
    @CommandHandler
    public void handle(RecordArtifactCollected command, Clock clock) {
        if (finished) {
            throw ApiException.conflict("command_finished", "command " + commandId + " already finished");
        }
        if (!declared.contains(command.path())) {
            throw ApiException.badRequest(
                    "path_not_declared", "command " + commandId + " does not collect " + command.path());
        }
        if (collected.containsKey(command.path())) {
            throw ApiException.conflict(
                    "artifact_exists", command.path() + " is collected already as " + collected.get(command.path()));
        }
        apply(new ArtifactCollected(
                UUID.randomUUID(),
                tenantId,
                clock.instant(),
                SCHEMA_VERSION,
                commandId,
                sandboxId,
                command.projectId(),
                command.artifactId(),
                command.path(),
                command.name(),
                command.size(),
                command.sha256(),
                command.contentType(),
                command.storageKey(),
                command.actor()));
    }

    @EventSourcingHandler
    void on(ArtifactCollected event) {
        collected.put(event.path(), event.artifactId());
    }

    /** Asks the node to stop it; asking again while it stops changes nothing. */
    @CommandHandler
    public void handle(CancelCommand command, Clock clock) {
        if (finished) {
            throw ApiException.conflict("command_not_running", "command " + commandId + " already finished");
        }
        if (!cancelRequested) {
            apply(new CommandCancelRequested(
                    UUID.randomUUID(),
                    tenantId,
                    clock.instant(),
                    SCHEMA_VERSION,
                    commandId,
                    sandboxId,
                    command.actor()));
        }
    }

    @EventSourcingHandler
    void on(CommandCancelRequested event) {
        cancelRequested = true;
    }

    @EventSourcingHandler
    void on(CommandStarted event) {
        commandId = event.commandId();
        sandboxId = event.sandboxId();
        tenantId = event.tenantId();
        startedAt = event.occurredAt();
        if (event.collect() != null) {
            event.collect().forEach(file -> declared.add(file.path()));
        }
    }

    @EventSourcingHandler
    void on(CommandFinished event) {
        finished = true;
    }

    /** A cancel counts when it was asked for and the process did not end on its own (exit 0) or its timeout. */
    private boolean killedByCancel(RecordCommandFinished command) {
        return command.cancelled() || cancelRequested && !command.timedOut() && command.exitCode() != 0;
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }
}
