package dev.crownest.sandbox.lifecycle;

import static dev.crownest.sandbox.eventstore.Events.SCHEMA_VERSION;
import static dev.crownest.sandbox.lifecycle.CreateSandboxRules.MAX_TTL_MS;
import static dev.crownest.sandbox.lifecycle.CreateSandboxRules.MIN_TTL_MS;
import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import dev.crownest.contracts.api.ApiException;
import dev.crownest.contracts.event.SandboxEvent.SandboxCreated;
import dev.crownest.contracts.event.SandboxEvent.SandboxExpired;
import dev.crownest.contracts.event.SandboxEvent.SandboxFailed;
import dev.crownest.contracts.event.SandboxEvent.SandboxKilled;
import dev.crownest.contracts.event.SandboxEvent.SandboxPauseFailed;
import dev.crownest.contracts.event.SandboxEvent.SandboxPaused;
import dev.crownest.contracts.event.SandboxEvent.SandboxResumeFailed;
import dev.crownest.contracts.event.SandboxEvent.SandboxResumed;
import dev.crownest.contracts.event.SandboxEvent.SandboxStarted;
import dev.crownest.contracts.event.SandboxEvent.SandboxTtlExtended;
import dev.crownest.contracts.event.SandboxEvent.SnapshotDeleted;
import dev.crownest.contracts.event.SandboxEvent.SnapshotStored;
import dev.crownest.sandbox.naming.ResourceIds;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

/**
 * One sandbox's lifecycle: starting → running ⇄ paused (each pause a snapshot, which forks start from) →
 * killed | expired, or starting → failed. Rules in the command handlers; event handlers only move state.
 */
@Aggregate
public class SandboxAggregate {
    static final String TTL_ACTOR = "system:ttl";
    static final String FAILURE_ACTOR = "node";

    @AggregateIdentifier
    private String sandboxId;

    private String tenantId;
    private SandboxStatus status;
    private Instant createdAt;
    private Instant expiresAt;
    /** Its latest snapshot (the one it is at while paused), and the TTL it had left then (runs again on resume). */
    private String currentSnapshot;

    private long remainingTtlMs;
    /** Every snapshot its pauses made, and those deleted since. */
    private final Set<String> snapshots = new HashSet<>();

    private final Set<String> deletedSnapshots = new HashSet<>();

    protected SandboxAggregate() {
        // Axon rebuilds from events.
    }

    @CommandHandler
    public SandboxAggregate(CreateSandbox command, TemplateCatalog templates, NetworkPolicy networks, Clock clock) {
        CreateSandboxRules.validate(command, templates, networks);
        Instant now = clock.instant();
        apply(new SandboxCreated(
                UUID.randomUUID(),
                command.tenantId(),
                now,
                SCHEMA_VERSION,
                command.sandboxId(),
                command.projectId(),
                command.template(),
                command.ttlMs(),
                now.plusMillis(command.ttlMs()),
                command.network(),
                CreateSandboxRules.copyHosts(command.allowedHosts()),
                command.cpu(),
                command.memoryMb(),
                command.diskMb(),
                CreateSandboxRules.copy(command.env(), "invalid_env"),
                CreateSandboxRules.copy(command.metadata(), "invalid_metadata"),
                command.actor()));
    }

    /** A fork: created like any sandbox, from the source's shape (the controller checked the snapshot). */
    @CommandHandler
    public SandboxAggregate(ForkSandbox command, Clock clock) {
        apply(ForkRules.created(command, clock.instant()));
    }

    @CommandHandler
    public void handle(RecordSandboxStarted command, Clock clock) {
        if (status == SandboxStatus.RUNNING) {
            return; // the report is repeated: nothing new happened
        }
        if (status != SandboxStatus.STARTING) {
            throw ApiException.conflict(
                    "sandbox_not_starting", "sandbox " + sandboxId + " is " + status.wire() + ", not starting");
        }
        apply(new SandboxStarted(
                UUID.randomUUID(),
                tenantId,
                clock.instant(),
                SCHEMA_VERSION,
                sandboxId,
                command.nodeId(),
                command.nodeId()));
    }

    @CommandHandler
    public void handle(RecordSandboxFailed command, Clock clock) {
        if (status.ended()) {
            return; // failed already, or killed or expired first: what ended it stands
        }
        // A failed start, a death on its node (out of memory, init exited), or a lost node: the first report stands.
        apply(new SandboxFailed(
                UUID.randomUUID(),
                tenantId,
                clock.instant(),
                SCHEMA_VERSION,
                sandboxId,
                reasonOf(command.reason()),
                FAILURE_ACTOR,
                command.stoppedAt()));
    }

    @CommandHandler
    public void handle(KillSandbox command, Clock clock) {
        if (!tenantId.equals(command.tenantId())) {
            // Another tenant's sandbox does not exist for the caller.
            throw ApiException.notFound("sandbox_not_found", "no sandbox " + sandboxId);
        }
        if (status.ended()) {
            return; // killing the dead changes nothing
        }
        apply(new SandboxKilled(
                UUID.randomUUID(),
                tenantId,
                clock.instant(),
                SCHEMA_VERSION,
                sandboxId,
                command.reason() == null ? "requested" : command.reason(),
                command.actor()));
    }

    /**
     * Answers true when the sandbox was running and is now paused at a new snapshot; false when it was
     * paused already. Its TTL stops: what it had left runs again on resume.
     */
    @CommandHandler
    public boolean handle(PauseSandbox command, Clock clock) {
        requireOwner(command.tenantId());
        if (status == SandboxStatus.PAUSED) {
            return false;
        }
        if (status != SandboxStatus.RUNNING) {
            throw ApiException.conflict(
                    "sandbox_not_running", "sandbox " + sandboxId + " is " + status.wire() + ", not running");
        }
        Instant now = clock.instant();
        long remaining = Math.max(0, Duration.between(now, expiresAt).toMillis());
        apply(new SandboxPaused(
                UUID.randomUUID(),
                tenantId,
                now,
                SCHEMA_VERSION,
                sandboxId,
                command.actor(),
                ResourceIds.snapshot(),
                remaining));
        return true;
    }

    /**
     * Answers true when the sandbox was paused and is now running; false when it was running already
     * (and no snapshot was named). Its deadline is the TTL it had left, from now.
     */
    @CommandHandler
    public boolean handle(ResumeSandbox command, Clock clock) {
        requireOwner(command.tenantId());
        if (command.snapshotId() != null
                && !(status == SandboxStatus.PAUSED && command.snapshotId().equals(currentSnapshot))) {
            throw ApiException.conflict(
                    "snapshot_not_current",
                    "sandbox " + sandboxId + " is " + status.wire() + ", not paused at snapshot "
                            + command.snapshotId());
        }
        if (status == SandboxStatus.RUNNING) {
            return false;
        }
        if (status != SandboxStatus.PAUSED) {
            throw ApiException.conflict(
                    "sandbox_not_paused", "sandbox " + sandboxId + " is " + status.wire() + ", not paused");
        }
        Instant now = clock.instant();
        apply(new SandboxResumed(
                UUID.randomUUID(),
                tenantId,
                now,
                SCHEMA_VERSION,
                sandboxId,
                command.actor(),
                currentSnapshot,
                now.plusMillis(remainingTtlMs)));
        return true;
    }

    /** The node's size of the snapshot a pause made; only the one it is paused at is on the node. */
    @CommandHandler
    public void handle(RecordSnapshotStored command, Clock clock) {
        if (status == SandboxStatus.PAUSED && command.snapshotId().equals(currentSnapshot)) {
            apply(new SnapshotStored(
                    UUID.randomUUID(),
                    tenantId,
                    clock.instant(),
                    SCHEMA_VERSION,
                    sandboxId,
                    currentSnapshot,
                    command.sizeBytes(),
                    FAILURE_ACTOR));
        }
    }

    /**
     * Deletes a snapshot (404 {@code snapshot_not_found} if not this tenant's, 410 {@code snapshot_gone}
     * if deleted already). The snapshot a sandbox is paused at is that sandbox: it ends with it.
     */
    @CommandHandler
    public void handle(DeleteSnapshot command, Clock clock) {
        if (!tenantId.equals(command.tenantId()) || !snapshots.contains(command.snapshotId())) {
            throw ApiException.notFound("snapshot_not_found", "no snapshot " + command.snapshotId());
        }
        if (deletedSnapshots.contains(command.snapshotId())) {
            throw ApiException.gone("snapshot_gone", "snapshot " + command.snapshotId() + " was deleted");
        }
        Instant now = clock.instant();
        apply(new SnapshotDeleted(
                UUID.randomUUID(), tenantId, now, SCHEMA_VERSION, sandboxId, command.snapshotId(), command.actor()));
        if (status == SandboxStatus.PAUSED && command.snapshotId().equals(currentSnapshot)) {
            apply(new SandboxKilled(
                    UUID.randomUUID(), tenantId, now, SCHEMA_VERSION, sandboxId, "snapshot_deleted", command.actor()));
        }
    }

    /**
     * The node could not carry out a change recorded before: a failed pause leaves the sandbox running,
     * a failed resume paused (its image kept), a failed TTL change nothing (the reaper enforces this
     * deadline). A repeated report, or a change or ending recorded since, leaves it as it is.
     */
    @CommandHandler
    public void handle(RecordChangeFailed command, Clock clock) {
        String reason = reasonOf(command.reason());
        Instant now = clock.instant();
        switch (command.change()) {
            case PAUSE -> {
                if (status == SandboxStatus.PAUSED) {
                    apply(new SandboxPauseFailed(
                            UUID.randomUUID(), tenantId, now, SCHEMA_VERSION, sandboxId, reason, FAILURE_ACTOR));
                }
            }
            case RESUME -> {
                if (status == SandboxStatus.RUNNING) {
                    apply(new SandboxResumeFailed(
                            UUID.randomUUID(), tenantId, now, SCHEMA_VERSION, sandboxId, reason, FAILURE_ACTOR));
                }
            }
            case EXTEND_TTL -> {}
        }
    }

    /**
     * The new deadline is {@code ttlMs} from now: later than the current one, and within the maximum
     * lifetime (24 h) counted from the create, the same bound a create's ttlMs has.
     */
    @CommandHandler
    public void handle(ExtendSandboxTtl command, Clock clock) {
        requireOwner(command.tenantId());
        if (status.ended()) {
            throw ApiException.conflict("sandbox_ended", "sandbox " + sandboxId + " is " + status.wire());
        }
        Instant now = clock.instant();
        Instant deadline = now.plusMillis(command.ttlMs());
        if (command.ttlMs() < MIN_TTL_MS || !deadline.isAfter(expiresAt)) {
            throw ApiException.badRequest(
                    "invalid_ttl",
                    "the new deadline " + deadline + " must be later than the current one, " + expiresAt
                            + "; ttlMs counts from now");
        }
        if (deadline.isAfter(createdAt.plusMillis(MAX_TTL_MS))) {
            throw ApiException.badRequest(
                    "max_lifetime_exceeded",
                    "a sandbox lives at most " + MAX_TTL_MS + " ms from its create; the latest deadline of " + sandboxId
                            + " is " + createdAt.plusMillis(MAX_TTL_MS));
        }
        apply(new SandboxTtlExtended(
                UUID.randomUUID(),
                tenantId,
                now,
                SCHEMA_VERSION,
                sandboxId,
                command.ttlMs(),
                deadline,
                command.actor()));
    }

    /** A node's reason as recorded: {@code unknown} when it gave none. */
    private static String reasonOf(String reason) {
        return reason == null || reason.isBlank() ? "unknown" : reason;
    }

    private void requireOwner(String caller) {
        if (!tenantId.equals(caller)) {
            // Another tenant's sandbox does not exist for the caller.
            throw ApiException.notFound("sandbox_not_found", "no sandbox " + sandboxId);
        }
    }

    @CommandHandler
    public void handle(ExpireSandbox command, Clock clock) {
        if (status != SandboxStatus.STARTING && status != SandboxStatus.RUNNING && status != SandboxStatus.PAUSED) {
            return; // already over: the reaper may race a kill
        }
        apply(new SandboxExpired(UUID.randomUUID(), tenantId, clock.instant(), SCHEMA_VERSION, sandboxId, TTL_ACTOR));
    }

    @EventSourcingHandler
    void on(SandboxCreated event) {
        sandboxId = event.sandboxId();
        tenantId = event.tenantId();
        status = SandboxStatus.STARTING;
        createdAt = event.occurredAt();
        expiresAt = event.expiresAt();
    }

    @EventSourcingHandler
    void on(SandboxPaused event) {
        status = SandboxStatus.PAUSED;
        currentSnapshot = event.snapshotId();
        if (currentSnapshot != null) {
            snapshots.add(currentSnapshot);
        }
        // events of before snapshots: the deadline as it was
        remainingTtlMs = event.remainingTtlMs() != null
                ? event.remainingTtlMs()
                : Math.max(0, Duration.between(event.occurredAt(), expiresAt).toMillis());
    }

    @EventSourcingHandler
    void on(SandboxResumed event) {
        status = SandboxStatus.RUNNING;
        if (event.expiresAt() != null) {
            expiresAt = event.expiresAt();
        }
    }

    @EventSourcingHandler
    void on(SandboxPauseFailed event) {
        status = SandboxStatus.RUNNING;
    }

    @EventSourcingHandler
    void on(SnapshotDeleted event) {
        deletedSnapshots.add(event.snapshotId());
    }

    @EventSourcingHandler
    void on(SandboxResumeFailed event) {
        status = SandboxStatus.PAUSED;
    }

    /** While paused, the extension is the TTL it will have from its resume. */
    @EventSourcingHandler
    void on(SandboxTtlExtended event) {
        expiresAt = event.expiresAt();
        if (status == SandboxStatus.PAUSED) {
            remainingTtlMs = event.ttlMs();
        }
    }

    @EventSourcingHandler
    void on(SandboxStarted event) {
        status = SandboxStatus.RUNNING;
    }

    @EventSourcingHandler
    void on(SandboxFailed event) {
        status = SandboxStatus.FAILED;
    }

    @EventSourcingHandler
    void on(SandboxKilled event) {
        status = SandboxStatus.KILLED;
    }

    @EventSourcingHandler
    void on(SandboxExpired event) {
        status = SandboxStatus.EXPIRED;
    }
}
