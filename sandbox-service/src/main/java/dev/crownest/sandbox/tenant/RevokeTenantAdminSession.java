package dev.crownest.sandbox.tenant;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Revoke an admin session of a tenant; revoking a revoked session changes nothing. */
public record RevokeTenantAdminSession(
        @TargetAggregateIdentifier String tenantId, String sessionId, String actor) {}
