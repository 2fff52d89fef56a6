package dev.crownest.sandbox.lifecycle;

import dev.crownest.contracts.api.ApiException;
import dev.crownest.contracts.api.CreateSandboxRequest;
import dev.crownest.contracts.api.ExtendTtlRequest;
import dev.crownest.contracts.api.Page;
import dev.crownest.contracts.api.ResumeRequest;
import dev.crownest.contracts.api.SandboxView;
import dev.crownest.contracts.api.SnapshotView;
import dev.crownest.contracts.event.NetworkMode;
import dev.crownest.contracts.node.SandboxChange;
import dev.crownest.kit.caller.Caller;
import dev.crownest.kit.seal.EnvSeal;
import dev.crownest.sandbox.naming.ResourceIds;
import dev.crownest.sandbox.outcome.OutcomeWaiters;
import dev.crownest.sandbox.project.ProjectViews;
import dev.crownest.sandbox.quota.AdmissionRequest;
import dev.crownest.sandbox.quota.QuotaAdmission;
import dev.crownest.sandbox.web.PageCursor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code /internal/sandboxes}: the gateway's calls, always scoped to the tenant (and project) it names. */
@RestController
@RequestMapping("/internal/sandboxes")
class SandboxController {
    private static final int MAX_PAGE = 1000;

    private final CommandGateway commands;
    private final SandboxViews views;
    private final OutcomeWaiters waiters;
    private final SandboxProperties properties;
    private final QuotaAdmission quotas;
    private final TemplateCatalog templates;
    private final NetworkPolicy networks;
    private final TemplateResolution templateResolution;
    private final SnapshotViews snapshots;
    private final EnvSeal envSeal;
    private final ProjectViews projects;
    private final SandboxStarts starts;
    private final CreditHolds credits;

    SandboxController(
            CommandGateway commands,
            SandboxViews views,
            OutcomeWaiters waiters,
            SandboxProperties properties,
            QuotaAdmission quotas,
            TemplateCatalog templates,
            NetworkPolicy networks,
            TemplateResolution templateResolution,
            SnapshotViews snapshots,
            EnvSeal envSeal,
            ProjectViews projects,
            SandboxStarts starts,
            CreditHolds credits) {
        this.starts = starts;
        this.credits = credits;
        this.templateResolution = templateResolution;
        this.snapshots = snapshots;
        this.projects = projects;
        this.envSeal = envSeal;
        this.templates = templates;
        this.networks = networks;
        this.commands = commands;
        this.views = views;
        this.waiters = waiters;
        this.properties = properties;
        this.quotas = quotas;
    }

    /**
     * Answers once a node reported the sandbox running (201) or failed (502), or after the start timeout
     * (202). With {@code fromSnapshot}, a fork of that snapshot, admitted and answered as a create.
     */
    @PostMapping
    ResponseEntity<SandboxView> create(Caller caller, @RequestBody CreateSandboxRequest body) {
        if (body.fromSnapshot() != null) {
            ForkSandbox fork = toFork(ResourceIds.sandbox(), caller, body);
            return start(
                    fork.sandboxId(),
                    new AdmissionRequest(
                            fork.tenantId(),
                            fork.sandboxId(),
                            fork.projectId(),
                            fork.cpu(),
                            fork.memoryMb(),
                            fork.ttlMs()),
                    fork);
        }
        String template = templateResolution.nodeTemplate(caller.tenant(), body.templateOrDefault());
        CreateSandbox command = toCommand(ResourceIds.sandbox(), caller, body, template, envSeal);
        if (command.projectId() != null
                && projects.find(caller.tenant(), command.projectId()).isEmpty()) {
            // A made-up or another tenant's project would make quota buckets at will (issue 15, F8).
            throw ApiException.notFound("project_not_found", "no project " + command.projectId());
        }
        // Then quotas: a refused create leaves no trace but the refusal.
        CreateSandboxRules.validate(command, templates, networks);
        AdmissionRequest admission = new AdmissionRequest(
                command.tenantId(),
                command.sandboxId(),
                command.projectId(),
                command.cpu(),
                command.memoryMb(),
                command.ttlMs());
        return start(command.sandboxId(), admission, command);
    }

    /**
     * Admits and records the create (or fork), then waits for its start: a create is started on the node
     * from here ({@link SandboxStarts}), a fork by the execution worker, which reports back.
     */
    private ResponseEntity<SandboxView> start(String sandboxId, AdmissionRequest admission, Object command) {
        String settled = OutcomeWaiters.sandboxSettled(sandboxId);
        credits.refuseIfHeld(admission.tenantId());
        quotas.admit(admission);
        CompletableFuture<Void> outcome = waiters.register(settled);
        try {
            try {
                commands.sendAndWait(command);
            } catch (RuntimeException rejected) {
                quotas.release(admission);
                throw rejected;
            }
            if (command instanceof CreateSandbox) {
                outcome = starts.start(sandboxId);
            }
            waiters.await(outcome, properties.startTimeout());
        } finally {
            waiters.forget(settled);
        }
        SandboxView view = views.find(sandboxId).orElseThrow();
        if (command instanceof ForkSandbox fork && ForkRules.lostTheSnapshot(view)) {
            // its source was resumed (or paused again) before the node took the snapshot: not the node's fault
            throw ApiException.conflict(
                    "snapshot_not_current",
                    "snapshot " + fork.fromSnapshot() + " is no longer current: sandbox " + fork.sourceSandboxId()
                            + " was resumed or paused again before the fork could take it");
        }
        return switch (view.status()) {
            case "failed" ->
                throw new ApiException(
                        HttpStatus.BAD_GATEWAY.value(),
                        "node",
                        "sandbox_start_failed",
                        "sandbox " + view.id() + " failed to start: " + view.failureReason());
            case "starting" -> ResponseEntity.status(HttpStatus.ACCEPTED).body(view);
            default -> ResponseEntity.status(HttpStatus.CREATED).body(view);
        };
    }

    /**
     * Newest first, a page at a time ({@code cursor} = the previous page's {@code nextCursor}); filters:
     * {@code status}, {@code projectId}, and {@code metadata[key]=value} pairs that must all match.
     */
    @GetMapping
    Page<SandboxView> list(
            Caller caller,
            @RequestParam(value = "projectId", required = false) String projectFilter,
            @RequestParam(required = false) String status,
            @RequestParam(defaultValue = "100") int limit,
            @RequestParam(required = false) String cursor,
            @RequestParam MultiValueMap<String, String> query) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw ApiException.badRequest("invalid_limit", "limit must be between 1 and " + MAX_PAGE);
        }
        if (status != null && SandboxStatus.fromWire(status) == null) {
            throw ApiException.badRequest("invalid_status", "status must be one of " + SandboxStatus.wires());
        }
        PageCursor after = PageCursor.decode(cursor);
        Map<String, String> metadata = metadataFilter(query);
        String restricted = caller.project();
        String filter = Caller.blankToNull(projectFilter);
        if (restricted != null && filter != null && !restricted.equals(filter)) {
            return new Page<>(List.of(), null); // another project is invisible to a restricted key
        }
        return views.list(caller.tenant(), restricted != null ? restricted : filter, status, metadata, after, limit);
    }

    /** {@code metadata[team]=ml&metadata[run]=7} → {team: ml, run: 7}. */
    private static Map<String, String> metadataFilter(MultiValueMap<String, String> query) {
        Map<String, String> metadata = new LinkedHashMap<>();
        query.forEach((name, values) -> {
            if (name.startsWith("metadata[") && name.endsWith("]") && name.length() > "metadata[]".length()) {
                if (values.size() != 1) {
                    throw ApiException.badRequest("invalid_metadata_filter", name + " may be given once");
                }
                metadata.put(name.substring("metadata[".length(), name.length() - 1), values.getFirst());
            } else if (name.startsWith("metadata")) {
                throw ApiException.badRequest("invalid_metadata_filter", "filter metadata as metadata[key]=value");
            }
        });
        return metadata;
    }

    @GetMapping("/{id}")
    SandboxView get(Caller caller, @PathVariable String id) {
        return owned(caller, id);
    }

    /** Kill; a sandbox already ended is answered as it is. */
    @DeleteMapping("/{id}")
    SandboxView kill(Caller caller, @PathVariable String id) {
        owned(caller, id);
        commands.sendAndWait(new KillSandbox(id, caller.tenant(), "requested", caller.actorOrUnknown()));
        return owned(caller, id);
    }

    /**
     * Pause: answers once the node checkpointed it (200, status paused), 502 if the node could not
     * (the sandbox runs on), or 202 after the start timeout, like a create. Pausing a paused sandbox is 200 at once.
     */
    @PostMapping("/{id}/pause")
    ResponseEntity<SandboxView> pause(Caller caller, @PathVariable String id) {
        owned(caller, id);
        return change(caller, id, SandboxChange.PAUSE, new PauseSandbox(id, caller.tenant(), caller.actorOrUnknown()));
    }

    /**
     * Resume: answers once the node restored it (200, status running), 502 if it could not, or 202. With
     * {@code snapshotId}, only if it is paused at that snapshot (409 {@code snapshot_not_current}).
     */
    @PostMapping("/{id}/resume")
    ResponseEntity<SandboxView> resume(
            Caller caller, @PathVariable String id, @RequestBody(required = false) ResumeRequest body) {
        owned(caller, id);
        String snapshotId = body == null ? null : body.snapshotId();
        if (snapshotId != null
                && !snapshots
                        .require(caller.tenant(), caller.project(), snapshotId)
                        .sandboxId()
                        .equals(id)) {
            throw ApiException.conflict("snapshot_not_current", "snapshot " + snapshotId + " is not of sandbox " + id);
        }
        credits.refuseIfHeld(caller.tenant());
        return change(
                caller,
                id,
                SandboxChange.RESUME,
                new ResumeSandbox(id, caller.tenant(), caller.actorOrUnknown(), snapshotId));
    }

    /**
     * Extend the TTL to {@code ttlMs} from now. The control plane's deadline moves at once (the reaper
     * reads it); the answer waits, like pause, until the node's own TTL guard moved too.
     */
    @PostMapping("/{id}/ttl")
    ResponseEntity<SandboxView> extendTtl(Caller caller, @PathVariable String id, @RequestBody ExtendTtlRequest body) {
        owned(caller, id);
        if (body == null || body.ttlMs() == null) {
            throw ApiException.badRequest("invalid_ttl", "ttlMs is required");
        }
        return change(
                caller,
                id,
                SandboxChange.EXTEND_TTL,
                new ExtendSandboxTtl(id, caller.tenant(), body.ttlMs(), caller.actorOrUnknown()));
    }

    /** Sends the command and, if it changed anything, waits for the node's report (SandboxReportController). */
    private ResponseEntity<SandboxView> change(Caller caller, String id, SandboxChange change, Object command) {
        String key = OutcomeWaiters.sandboxChanged(id, change);
        CompletableFuture<Void> outcome = waiters.register(key);
        boolean arrived;
        try {
            Object changed = commands.sendAndWait(command);
            if (Boolean.FALSE.equals(changed)) {
                return ResponseEntity.ok(owned(caller, id));
            }
            arrived = waiters.await(outcome, properties.startTimeout());
        } finally {
            waiters.forget(key);
        }
        SandboxView view = owned(caller, id);
        if (!arrived) {
            return ResponseEntity.status(HttpStatus.ACCEPTED).body(view);
        }
        // A node that could not pause (resume) is reported back and recorded: the sandbox runs on (stays paused).
        if (change == SandboxChange.PAUSE && !"paused".equals(view.status())) {
            throw new ApiException(
                    HttpStatus.BAD_GATEWAY.value(),
                    "node",
                    "sandbox_pause_failed",
                    "the node could not pause sandbox " + id);
        }
        if (change == SandboxChange.RESUME && !"running".equals(view.status())) {
            throw new ApiException(
                    HttpStatus.BAD_GATEWAY.value(),
                    "node",
                    "sandbox_resume_failed",
                    "the node could not resume sandbox " + id);
        }
        return ResponseEntity.ok(view);
    }

    private SandboxView owned(Caller caller, String id) {
        return views.find(caller.tenant(), caller.project(), id)
                .orElseThrow(() -> ApiException.notFound("sandbox_not_found", "no sandbox " + id));
    }

    /**
     * A fork of the snapshot a paused sandbox is at: the source's template, shape and network; its own
     * ttlMs (default as a create's) and metadata (default the source's).
     */
    private ForkSandbox toFork(String sandboxId, Caller caller, CreateSandboxRequest body) {
        ForkRules.requireOnlyForkFields(body);
        SnapshotView snapshot = snapshots.require(caller.tenant(), caller.project(), body.fromSnapshot());
        if (!"current".equals(snapshot.status())) {
            throw ApiException.conflict(
                    "snapshot_not_current",
                    "snapshot " + snapshot.id() + " is " + snapshot.status() + ": only the snapshot a sandbox is"
                            + " paused at can be forked");
        }
        SandboxView source = owned(caller, snapshot.sandboxId());
        return new ForkSandbox(
                sandboxId,
                caller.tenant(),
                source.projectId(),
                snapshot.id(),
                source.id(),
                views.nodeTemplate(source.id()).orElseThrow(),
                body.ttlMsOrDefault(),
                NetworkMode.fromWire(source.network()),
                source.allowedHosts(),
                source.cpu(),
                source.memoryMb(),
                source.diskMb(),
                body.metadata() != null ? body.metadata() : source.metadata(),
                caller.actorOrUnknown());
    }

    private static CreateSandbox toCommand(
            String sandboxId, Caller caller, CreateSandboxRequest body, String template, EnvSeal envSeal) {
        NetworkMode network = body.network() == null ? NetworkMode.OFF : NetworkMode.fromWire(body.network());
        if (network == null) {
            throw ApiException.badRequest("invalid_network", "network must be one of off, restricted, open");
        }
        String project = caller.project();
        if (project != null && body.projectId() != null && !project.equals(body.projectId())) {
            // A restricted key sees only its project: another one is not found, as another tenant's would be.
            throw ApiException.notFound("project_not_found", "no project " + body.projectId());
        }
        return new CreateSandbox(
                sandboxId,
                caller.tenant(),
                project != null ? project : Caller.blankToNull(body.projectId()),
                template,
                body.ttlMsOrDefault(),
                network,
                body.allowedHosts(),
                body.cpuOrDefault(),
                body.memoryMbOrDefault(),
                body.diskMbOrDefault(),
                // sealed before the event store sees them: events, Kafka and the audit hold no value
                envSeal.seal(body.env()),
                body.metadata(),
                caller.actorOrUnknown());
    }
}
