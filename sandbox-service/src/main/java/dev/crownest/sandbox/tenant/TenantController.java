package dev.crownest.sandbox.tenant;

import dev.crownest.contracts.api.ApiException;
import dev.crownest.contracts.api.Page;
import dev.crownest.contracts.api.TenantPricingView;
import dev.crownest.contracts.api.TenantView;
import dev.crownest.kit.caller.Caller;
import dev.crownest.sandbox.credential.SecretHashes;
import dev.crownest.sandbox.key.BootstrapProperties;
import dev.crownest.sandbox.naming.ResourceIds;
import java.util.Map;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /internal/tenants}: the operator's tenants, their admin sessions, plans and suspensions. The
 * gateway lets only the operator reach these, makes the admin tokens and sends their hashes; tokens
 * never come here.
 */
@RestController
@RequestMapping("/internal/tenants")
class TenantController {
    private static final int MAX_PAGE = 1000;

    /** The body of a create: the gateway adds the hash of the admin token it generated. */
    record CreateTenantBody(String name, String plan, String adminTokenHash) {}

    record OpenSessionBody(String tokenHash) {}

    record PlanBody(String plan) {}

    record PricingBody(String pricingVersion) {}

    record SuspendBody(String reason) {}

    private final CommandGateway commands;
    private final TenantViews views;
    private final TenantRegistry registry;
    private final MeteringPlans plans;
    private final BootstrapProperties bootstrap;

    TenantController(
            CommandGateway commands,
            TenantViews views,
            TenantRegistry registry,
            MeteringPlans plans,
            BootstrapProperties bootstrap) {
        this.bootstrap = bootstrap;
        this.commands = commands;
        this.views = views;
        this.registry = registry;
        this.plans = plans;
    }

    /** 201 with the tenant and the id of its first admin session. */
    @PostMapping
    ResponseEntity<TenantView> create(@Caller.NoTenant Caller caller, @RequestBody CreateTenantBody body) {
        return ResponseEntity.status(HttpStatus.CREATED)
                .body(registry.register(
                        body.name(), body.plan(), null, body.adminTokenHash(), caller.actorOrUnknown()));
    }

    /** Moves the tenant to another plan of metering's; answers once metering applies it. */
    @PutMapping("/{tenantId}/plan")
    TenantView changePlan(@Caller.NoTenant Caller caller, @PathVariable String tenantId, @RequestBody PlanBody body) {
        administered(tenantId);
        String plan = body == null ? null : body.plan();
        if (plan == null || plan.isBlank()) {
            throw ApiException.badRequest("invalid_plan", "name the plan: {\"plan\": \"pro\"}");
        }
        plans.require(plan);
        if (Boolean.TRUE.equals(commands.sendAndWait(new ChangeTenantPlan(tenantId, plan, caller.actorOrUnknown())))) {
            plans.awaitFollowed(tenantId, plan);
        }
        return administered(tenantId);
    }

    /**
     * Pins the tenant to a published pricing version: its usage from the first second after the pin is rated at
     * it, what was rated before keeps its version. Answers once metering follows it, with the second it applies from.
     */
    @PutMapping("/{tenantId}/pricing")
    TenantPricingView pinPricing(
            @Caller.NoTenant Caller caller, @PathVariable String tenantId, @RequestBody PricingBody body) {
        administered(tenantId);
        String version = body == null ? null : body.pricingVersion();
        plans.requirePricingVersion(version);
        commands.sendAndWait(new PinTenantPricing(tenantId, version, caller.actorOrUnknown()));
        return plans.awaitPinned(tenantId, version);
    }

    /**
     * Suspends the tenant: from the answer on, its keys and sessions are refused at this gateway (at every
     * other within a second) and its running sandboxes are being paused ({@code TenantSuspensions}).
     */
    @PostMapping("/{tenantId}/suspend")
    TenantView suspend(
            @Caller.NoTenant Caller caller,
            @PathVariable String tenantId,
            @RequestBody(required = false) SuspendBody body) {
        administered(tenantId);
        String reason = body == null ? null : Caller.blankToNull(body.reason());
        commands.sendAndWait(new SuspendTenant(tenantId, reason, caller.actorOrUnknown()));
        return administered(tenantId);
    }

    /** Ends the suspension; paused sandboxes stay paused until the tenant resumes them. */
    @PostMapping("/{tenantId}/unsuspend")
    TenantView unsuspend(@Caller.NoTenant Caller caller, @PathVariable String tenantId) {
        administered(tenantId);
        commands.sendAndWait(new UnsuspendTenant(tenantId, caller.actorOrUnknown()));
        return administered(tenantId);
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

    /** A tenant the operator administers: not the bootstrap tenant, whose plan is configuration. */
    private TenantView administered(String tenantId) {
        if (tenantId.equals(bootstrap.tenantId())) {
            throw ApiException.badRequest(
                    "tenant_not_administered",
                    "the platform's own tenant is configured (crownest.quotas.tenant-plans), never suspended or moved");
        }
        return views.find(tenantId)
                .orElseThrow(() -> ApiException.notFound("tenant_not_found", "no tenant " + tenantId));
    }
}
