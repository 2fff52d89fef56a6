package dev.crownest.sandbox.tenant;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Create a tenant on {@code plan} with its first admin session; only the SHA-256 hex of the admin's
 * token ever reaches the control plane.
 */
public record CreateTenant(
        @TargetAggregateIdentifier String tenantId,
        String name,
        String plan,
        String adminSessionId,
        String adminTokenHash,
        String actor) {}
