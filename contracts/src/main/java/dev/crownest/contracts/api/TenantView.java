package dev.crownest.contracts.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * A tenant. {@code adminToken} (the tenant admin's session token) is set only in the answer to
 * {@code POST /v1/tenants}, the one time it is shown; {@code adminSessionId} names that session.
 */
public record TenantView(
        String id,
        String name,
        String plan,
        Instant createdAt,
        String adminSessionId,
        @JsonInclude(JsonInclude.Include.NON_NULL) String adminToken) {}
