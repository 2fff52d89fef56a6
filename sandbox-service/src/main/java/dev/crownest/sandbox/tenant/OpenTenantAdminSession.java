package dev.crownest.sandbox.tenant;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Open another admin session of a tenant (e.g. a new token when the first was lost). */
public record OpenTenantAdminSession(
        @TargetAggregateIdentifier String tenantId, String sessionId, String tokenHash, String actor) {}
