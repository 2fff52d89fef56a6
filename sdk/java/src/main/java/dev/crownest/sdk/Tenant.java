package dev.crownest.sdk;

import java.time.Instant;

/**
 * A tenant, as the operator sees it.
 *
 * @param adminToken the tenant admin's session token: only in the create answer, shown once
 */
public record Tenant(
        String id, String name, String plan, Instant createdAt, String adminSessionId, String adminToken) {}
