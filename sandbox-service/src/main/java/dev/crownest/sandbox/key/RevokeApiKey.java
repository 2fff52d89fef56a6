package dev.crownest.sandbox.key;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Revoke a key of {@code tenantId}; revoking a revoked key changes nothing. */
public record RevokeApiKey(@TargetAggregateIdentifier String keyId, String tenantId, String actor) {}
