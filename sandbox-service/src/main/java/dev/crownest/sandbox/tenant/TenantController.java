package dev.crownest.sandbox.tenant;

import dev.crownest.contracts.api.ApiException;
import dev.crownest.contracts.api.Page;
import dev.crownest.contracts.api.TenantView;
import dev.crownest.kit.caller.Caller;
import dev.crownest.sandbox.credential.SecretHashes;
import dev.crownest.sandbox.key.BootstrapProperties;
import dev.crownest.sandbox.naming.ResourceIds;
import dev.crownest.sandbox.naming.ResourceNames;
import java.util.Map;
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
 * {@code /internal/tenants}: the operator's tenants and their admin sessions. The gateway lets only
 * the operator reach these, makes the admin tokens and sends their hashes; tokens never come here.
 */
@RestController
@RequestMapping("/internal/tenants")
class TenantController {
    private static final int MAX_PAGE = 1000;

    /** The body of a create: the gateway adds the hash of the admin token it generated. */
    record CreateTenantBody(String name, String plan, String adminTokenHash) {}

    record OpenSessionBody(String tokenHash) {}

    private final CommandGateway commands;
    private final TenantViews views;
    private final MeteringPlans plans;
    private final BootstrapProperties bootstrap;

    TenantController(CommandGateway commands, TenantViews views, MeteringPlans plans, BootstrapProperties bootstrap) {
        this.bootstrap = bootstrap;
        this.commands = commands;
        this.views = views;
        this.plans = plans;
    }

    /** 201 with the tenant and the id of its first admin session. */
    @PostMapping
    ResponseEntity<TenantView> create(@Caller.NoTenant Caller caller, @RequestBody CreateTenantBody body) {
        String name = ResourceNames.require(body.name(), "a tenant");
        if (body.plan() == null || body.plan().isBlank()) {
            throw ApiException.badRequest("invalid_plan", "a tenant needs a plan");
        }
        SecretHashes.require(body.adminTokenHash(), "adminTokenHash");
        if (views.nameTaken(name)) {
            throw ApiException.conflict("tenant_name_taken", "a tenant named '" + name + "' exists");
        }
        String tenantId = ResourceIds.tenant();
        String sessionId = ResourceIds.adminSession();
        String who = caller.actorOrUnknown();
        plans.assign(tenantId, body.plan(), who);
        commands.sendAndWait(new CreateTenant(tenantId, name, body.plan(), sessionId, body.adminTokenHash(), who));
        TenantView tenant = views.find(tenantId).orElseThrow();
        return ResponseEntity.status(HttpStatus.CREATED)
                .body(new TenantView(tenant.id(), tenant.name(), tenant.plan(), tenant.createdAt(), sessionId, null));
    }

    /**
     * 200 when the tenant exists (the bootstrap tenant always does), else 404 {@code tenant_not_found}:
     * the gateway asks before an operator route acts on a tenant (issue 15, F9).
     */
    @GetMapping("/{tenantId}")
    ResponseEntity<Void> exists(@Caller.NoTenant Caller caller, @PathVariable String tenantId) {
        if (!tenantId.equals(bootstrap.tenantId()) && views.find(tenantId).isEmpty()) {
            throw ApiException.notFound("tenant_not_found", "no tenant " + tenantId);
        }
        return ResponseEntity.ok().build();
    }

    @GetMapping
    Page<TenantView> list(@RequestParam(defaultValue = "100") int limit) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw ApiException.badRequest("invalid_limit", "limit must be between 1 and " + MAX_PAGE);
        }
        return new Page<>(views.list(limit), null);
    }

    /** Another admin token for a tenant (the first was lost, or is being rotated). */
    @PostMapping("/{tenantId}/admin-sessions")
    ResponseEntity<Map<String, String>> openSession(
            @Caller.NoTenant Caller caller, @PathVariable String tenantId, @RequestBody OpenSessionBody body) {
        tenant(tenantId);
        SecretHashes.require(body.tokenHash(), "tokenHash");
        String sessionId = ResourceIds.adminSession();
        commands.sendAndWait(
                new OpenTenantAdminSession(tenantId, sessionId, body.tokenHash(), caller.actorOrUnknown()));
        return ResponseEntity.status(HttpStatus.CREATED).body(Map.of("tenantId", tenantId, "sessionId", sessionId));
    }

    @DeleteMapping("/{tenantId}/admin-sessions/{sessionId}")
    Map<String, String> revokeSession(
            @Caller.NoTenant Caller caller, @PathVariable String tenantId, @PathVariable String sessionId) {
        tenant(tenantId);
        commands.sendAndWait(new RevokeTenantAdminSession(tenantId, sessionId, caller.actorOrUnknown()));
        return Map.of("tenantId", tenantId, "sessionId", sessionId, "status", "revoked");
    }

    private void tenant(String tenantId) {
        views.find(tenantId).orElseThrow(() -> ApiException.notFound("tenant_not_found", "no tenant " + tenantId));
    }
}
