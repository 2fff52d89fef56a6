package dev.crownest.sandbox.tenant;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Create a tenant on {@code plan} with its first admin session; only the SHA-256 hex of the admin's
 * token ever reaches the control plane. {@code email} is set for a sign-up, null when the operator creates it.
 */
public record CreateTenant(
        @TargetAggregateIdentifier String tenantId,
        String name,
        String plan,
        String email,
        String adminSessionId,
        String adminTokenHash,
        String actor) {}
