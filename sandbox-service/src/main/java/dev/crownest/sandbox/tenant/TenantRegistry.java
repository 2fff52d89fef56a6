package dev.crownest.sandbox.tenant;

import dev.crownest.contracts.api.ApiException;
import dev.crownest.contracts.api.TenantView;
import dev.crownest.sandbox.credential.SecretHashes;
import dev.crownest.sandbox.naming.ResourceIds;
import dev.crownest.sandbox.naming.ResourceNames;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.stereotype.Component;

/**
 * Creates tenants, for the operator ({@code POST /internal/tenants}) and for sign-ups alike: the input is
 * checked, the plan is checked in metering, then the Tenant aggregate records the tenant and its first
 * admin session; the answer waits until metering follows the plan. Names and emails are unique in any
 * case: checked first, and between two creates at once decided by {@code tenant_view}'s unique indexes
 * (the projection commits with the events, so the loser leaves nothing and is answered 409).
 */
@Component
class TenantRegistry {
    private final CommandGateway commands;
    private final TenantViews views;
    private final MeteringPlans plans;

    TenantRegistry(CommandGateway commands, TenantViews views, MeteringPlans plans) {
        this.commands = commands;
        this.views = views;
        this.plans = plans;
    }

    /** The new tenant, with the id of its first admin session. {@code email} is null for the operator's tenants. */
    TenantView register(String name, String plan, String email, String adminTokenHash, String actor) {
        String trimmed = ResourceNames.require(name, "a tenant");
        if (plan == null || plan.isBlank()) {
            throw ApiException.badRequest("invalid_plan", "a tenant needs a plan");
        }
        String address = email == null ? null : EmailAddresses.require(email);
        SecretHashes.require(adminTokenHash, "adminTokenHash");
        if (address != null && views.emailTaken(address)) {
            throw emailTaken();
        }
        if (views.nameTaken(trimmed)) {
            throw nameTaken(trimmed);
        }
        plans.require(plan);
        String tenantId = ResourceIds.tenant();
        String sessionId = ResourceIds.adminSession();
        try {
            commands.sendAndWait(new CreateTenant(tenantId, trimmed, plan, address, sessionId, adminTokenHash, actor));
        } catch (RuntimeException e) {
            // Lost the race for a unique index to a create that committed meanwhile.
            if (address != null && views.emailTaken(address)) {
                throw emailTaken();
            }
            if (views.nameTaken(trimmed)) {
                throw nameTaken(trimmed);
            }
            throw e;
        }
        plans.awaitFollowed(tenantId, plan);
        TenantView tenant = views.find(tenantId).orElseThrow();
        return new TenantView(
                tenant.id(),
                tenant.name(),
                tenant.plan(),
                tenant.createdAt(),
                sessionId,
                null,
                tenant.status(),
                tenant.email());
    }

    private static ApiException emailTaken() {
        return ApiException.conflict("email_taken", "a tenant signed up with this email already");
    }

    private static ApiException nameTaken(String name) {
        return ApiException.conflict("tenant_name_taken", "a tenant named '" + name + "' exists");
    }
}
