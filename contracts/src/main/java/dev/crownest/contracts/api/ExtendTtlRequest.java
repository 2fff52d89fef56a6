package dev.crownest.contracts.api;

/**
 * Body of {@code POST /v1/sandboxes/{id}/ttl}: the sandbox now expires {@code ttlMs} from now. The new
 * deadline must be later than the current one and at most 24 h after the sandbox was created.
 */
public record ExtendTtlRequest(Long ttlMs) {}
