package dev.crownest.sandbox.lifecycle;

import dev.crownest.contracts.api.ApiException;
import dev.crownest.contracts.api.CreateSandboxRequest;
import dev.crownest.contracts.api.ExtendTtlRequest;
import dev.crownest.contracts.api.Page;
import dev.crownest.contracts.api.SandboxView;
import dev.crownest.contracts.event.NetworkMode;
import dev.crownest.contracts.security.InternalHeaders;
import dev.crownest.sandbox.naming.ResourceIds;
import dev.crownest.sandbox.outcome.OutcomeWaiters;
import dev.crownest.sandbox.quota.QuotaAdmission;
import dev.crownest.sandbox.web.PageCursor;
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
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code /internal/sandboxes}: the gateway's calls, always scoped to the tenant (and project) it names. */
@RestController
@RequestMapping("/internal/sandboxes")
class SandboxController {
    private static final String DEFAULT_TEMPLATE = "base";
    private static final long DEFAULT_TTL_MS = 300_000;
    private static final int DEFAULT_CPU = 1;
    private static final int DEFAULT_MEMORY_MB = 512;
    private static final int DEFAULT_DISK_MB = 1024;
    private static final int MAX_PAGE = 1000;

    private final CommandGateway commands;
    private final SandboxViews views;
    private final OutcomeWaiters waiters;
    private final SandboxProperties properties;
    private final QuotaAdmission quotas;
    private final TemplateCatalog templates;
    private final NetworkPolicy networks;

    SandboxController(
            CommandGateway commands,
            SandboxViews views,
            OutcomeWaiters waiters,
            SandboxProperties properties,
            QuotaAdmission quotas,
            TemplateCatalog templates,
            NetworkPolicy networks) {
        this.templates = templates;
        this.networks = networks;
        this.commands = commands;
        this.views = views;
        this.waiters = waiters;
        this.properties = properties;
        this.quotas = quotas;
    }

    /** Answers once a node reported the sandbox running (201) or failed (502), or after the start timeout (202). */
    @PostMapping
    ResponseEntity<SandboxView> create(
            @RequestHeader(InternalHeaders.TENANT_ID) String tenantId,
            @RequestHeader(value = InternalHeaders.PROJECT_ID, required = false) String projectHeader,
            @RequestHeader(value = InternalHeaders.ACTOR, required = false) String actor,
            @RequestBody CreateSandboxRequest body) {
        CreateSandbox command = toCommand(ResourceIds.sandbox(), requireTenant(tenantId), projectHeader, actor, body);
        String settled = OutcomeWaiters.sandboxSettled(command.sandboxId());
        // Then quotas: a refused create leaves no trace but the refusal.
        SandboxAggregate.validate(command, templates, networks);
        quotas.admit(command);
        CompletableFuture<Void> outcome = waiters.register(settled);
        try {
            try {
                commands.sendAndWait(command);
            } catch (RuntimeException rejected) {
                quotas.release(command);
                throw rejected;
            }
            waiters.await(outcome, properties.startTimeout());
        } finally {
            waiters.forget(settled);
        }
        SandboxView view = views.find(command.sandboxId()).orElseThrow();
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
            @RequestHeader(InternalHeaders.TENANT_ID) String tenantId,
            @RequestHeader(value = InternalHeaders.PROJECT_ID, required = false) String projectId,
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
        String restricted = blankToNull(projectId);
        String filter = blankToNull(projectFilter);
        if (restricted != null && filter != null && !restricted.equals(filter)) {
            return new Page<>(java.util.List.of(), null); // another project is invisible to a restricted key
        }
        return views.list(
                requireTenant(tenantId), restricted != null ? restricted : filter, status, metadata, after, limit);
    }

    /** {@code metadata[team]=ml&metadata[run]=7} → {team: ml, run: 7}. */
    private static Map<String, String> metadataFilter(MultiValueMap<String, String> query) {
        Map<String, String> metadata = new java.util.LinkedHashMap<>();
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
    SandboxView get(
            @RequestHeader(InternalHeaders.TENANT_ID) String tenantId,
            @RequestHeader(value = InternalHeaders.PROJECT_ID, required = false) String projectId,
            @PathVariable String id) {
        return owned(requireTenant(tenantId), projectId, id);
    }

    /** Kill; a sandbox already ended is answered as it is. */
    @DeleteMapping("/{id}")
    SandboxView kill(
            @RequestHeader(InternalHeaders.TENANT_ID) String tenantId,
            @RequestHeader(value = InternalHeaders.PROJECT_ID, required = false) String projectId,
            @RequestHeader(value = InternalHeaders.ACTOR, required = false) String actor,
            @PathVariable String id) {
        owned(requireTenant(tenantId), projectId, id);
        commands.sendAndWait(new KillSandbox(id, tenantId, "requested", actorOr(actor)));
        return owned(tenantId, projectId, id);
    }

    /**
     * Pause: answers once the node checkpointed it (200, status paused), 502 if the node could not
     * (the sandbox runs on), or 202 after the start timeout, like a create. Pausing a paused sandbox is 200 at once.
     */
    @PostMapping("/{id}/pause")
    ResponseEntity<SandboxView> pause(
            @RequestHeader(InternalHeaders.TENANT_ID) String tenantId,
            @RequestHeader(value = InternalHeaders.PROJECT_ID, required = false) String projectId,
            @RequestHeader(value = InternalHeaders.ACTOR, required = false) String actor,
            @PathVariable String id) {
        owned(requireTenant(tenantId), projectId, id);
        return change(tenantId, projectId, id, "paused", new PauseSandbox(id, tenantId, actorOr(actor)));
    }

    /** Resume: answers once the node restored it (200, status running), 502 if it could not, or 202. */
    @PostMapping("/{id}/resume")
    ResponseEntity<SandboxView> resume(
            @RequestHeader(InternalHeaders.TENANT_ID) String tenantId,
            @RequestHeader(value = InternalHeaders.PROJECT_ID, required = false) String projectId,
            @RequestHeader(value = InternalHeaders.ACTOR, required = false) String actor,
            @PathVariable String id) {
        owned(requireTenant(tenantId), projectId, id);
        return change(tenantId, projectId, id, "resumed", new ResumeSandbox(id, tenantId, actorOr(actor)));
    }

    /**
     * Extend the TTL to {@code ttlMs} from now. The control plane's deadline moves at once (the reaper
     * reads it); the answer waits, like pause, until the node's own TTL guard moved too.
     */
    @PostMapping("/{id}/ttl")
    ResponseEntity<SandboxView> extendTtl(
            @RequestHeader(InternalHeaders.TENANT_ID) String tenantId,
            @RequestHeader(value = InternalHeaders.PROJECT_ID, required = false) String projectId,
            @RequestHeader(value = InternalHeaders.ACTOR, required = false) String actor,
            @PathVariable String id,
            @RequestBody ExtendTtlRequest body) {
        owned(requireTenant(tenantId), projectId, id);
        if (body == null || body.ttlMs() == null) {
            throw ApiException.badRequest("invalid_ttl", "ttlMs is required");
        }
        return change(tenantId, projectId, id, "ttl", new ExtendSandboxTtl(id, tenantId, body.ttlMs(), actorOr(actor)));
    }

    /** Sends the command and, if it changed anything, waits for the node's report (SandboxReportController). */
    private ResponseEntity<SandboxView> change(
            String tenantId, String projectId, String id, String change, Object command) {
        String key = OutcomeWaiters.sandboxChanged(id, change);
        CompletableFuture<Void> outcome = waiters.register(key);
        boolean arrived;
        try {
            Object changed = commands.sendAndWait(command);
            if (Boolean.FALSE.equals(changed)) {
                return ResponseEntity.ok(owned(tenantId, projectId, id));
            }
            arrived = waiters.await(outcome, properties.startTimeout());
        } finally {
            waiters.forget(key);
        }
        SandboxView view = owned(tenantId, projectId, id);
        if (!arrived) {
            return ResponseEntity.status(HttpStatus.ACCEPTED).body(view);
        }
        // A node that could not pause (resume) is reported back and undone: the sandbox runs on (stays paused).
        if ("paused".equals(change) && !"paused".equals(view.status())) {
            throw new ApiException(
                    HttpStatus.BAD_GATEWAY.value(),
                    "node",
                    "sandbox_pause_failed",
                    "the node could not pause sandbox " + id);
        }
        if ("resumed".equals(change) && !"running".equals(view.status())) {
            throw new ApiException(
                    HttpStatus.BAD_GATEWAY.value(),
                    "node",
                    "sandbox_resume_failed",
                    "the node could not resume sandbox " + id);
        }
        return ResponseEntity.ok(view);
    }

    private SandboxView owned(String tenantId, String projectId, String id) {
        return views.find(tenantId, blankToNull(projectId), id)
                .orElseThrow(() -> ApiException.notFound("sandbox_not_found", "no sandbox " + id));
    }

    private static CreateSandbox toCommand(
            String sandboxId, String tenantId, String projectHeader, String actor, CreateSandboxRequest body) {
        NetworkMode network = body.network() == null ? NetworkMode.OFF : NetworkMode.fromWire(body.network());
        if (network == null) {
            throw ApiException.badRequest("invalid_network", "network must be one of off, restricted, open");
        }
        String project = blankToNull(projectHeader);
        if (project != null && body.projectId() != null && !project.equals(body.projectId())) {
            // A restricted key sees only its project: another one is not found, as another tenant's would be.
            throw ApiException.notFound("project_not_found", "no project " + body.projectId());
        }
        return new CreateSandbox(
                sandboxId,
                tenantId,
                project != null ? project : blankToNull(body.projectId()),
                body.template() == null ? DEFAULT_TEMPLATE : body.template(),
                body.ttlMs() == null ? DEFAULT_TTL_MS : body.ttlMs(),
                network,
                body.allowedHosts(),
                body.cpu() == null ? DEFAULT_CPU : body.cpu(),
                body.memoryMb() == null ? DEFAULT_MEMORY_MB : body.memoryMb(),
                body.diskMb() == null ? DEFAULT_DISK_MB : body.diskMb(),
                body.env(),
                body.metadata(),
                actorOr(actor));
    }

    static String requireTenant(String tenantId) {
        if (tenantId == null || tenantId.isBlank()) {
            throw new ApiException(
                    HttpStatus.UNAUTHORIZED.value(),
                    "authentication",
                    "missing_tenant",
                    "no tenant on an internal call");
        }
        return tenantId;
    }

    static String actorOr(String actor) {
        return actor == null || actor.isBlank() ? "unknown" : actor;
    }

    static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
