package dev.crownest.sandbox.key;

import dev.crownest.contracts.api.ApiException;
import dev.crownest.contracts.api.KeyView;
import dev.crownest.contracts.api.Page;
import dev.crownest.kit.caller.Caller;
import dev.crownest.sandbox.naming.ResourceIds;
import dev.crownest.sandbox.project.ProjectViews;
import java.util.List;
import java.util.Set;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /internal/keys}: a tenant admin's API keys. The gateway makes the secret and sends only its
 * hash, and lets no API key reach these routes (keys cannot mint keys). Key names may repeat: a
 * rotation creates the new key under the old name before revoking the old one.
 */
@RestController
@RequestMapping("/internal/keys")
class ApiKeyController {
    private static final int MAX_PAGE = 1000;
    private static final Set<String> STATUSES = Set.of("active", "revoked");

    /** The body of a create: the gateway adds the hash of the secret it generated. */
    record IssueKeyBody(String name, List<String> scopes, String projectId, String secretHash) {}

    private final CommandGateway commands;
    private final ApiKeyViews views;
    private final ProjectViews projects;

    ApiKeyController(CommandGateway commands, ApiKeyViews views, ProjectViews projects) {
        this.commands = commands;
        this.views = views;
        this.projects = projects;
    }

    @PostMapping
    ResponseEntity<KeyView> issue(Caller caller, @RequestBody IssueKeyBody body) {
        String tenantId = caller.tenant();
        String projectId = Caller.blankToNull(body.projectId());
        if (projectId != null && projects.find(tenantId, projectId).isEmpty()) {
            throw ApiException.notFound("project_not_found", "no project " + projectId);
        }
        String keyId = ResourceIds.key();
        commands.sendAndWait(new IssueApiKey(
                keyId, tenantId, body.name(), body.scopes(), projectId, body.secretHash(), caller.actorOrUnknown()));
        return ResponseEntity.status(HttpStatus.CREATED)
                .body(views.find(tenantId, keyId).orElseThrow());
    }

    @GetMapping
    Page<KeyView> list(
            Caller caller,
            @RequestParam(required = false) String status,
            @RequestParam(defaultValue = "100") int limit) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw ApiException.badRequest("invalid_limit", "limit must be between 1 and " + MAX_PAGE);
        }
        if (status != null && !STATUSES.contains(status)) {
            throw ApiException.badRequest("invalid_status", "status must be active or revoked");
        }
        return new Page<>(views.list(caller.tenant(), status, limit), null);
    }

    @GetMapping("/{id}")
    KeyView get(Caller caller, @PathVariable String id) {
        return owned(caller.tenant(), id);
    }

    /** Revoke; revoking a revoked key answers it as it is. Another tenant's key is 404. */
    @DeleteMapping("/{id}")
    KeyView revoke(Caller caller, @PathVariable String id) {
        owned(caller.tenant(), id);
        commands.sendAndWait(new RevokeApiKey(id, caller.tenant(), caller.actorOrUnknown()));
        return owned(caller.tenant(), id);
    }

    private KeyView owned(String tenantId, String id) {
        return views.find(tenantId, id).orElseThrow(() -> ApiException.notFound("key_not_found", "no key " + id));
    }
}
