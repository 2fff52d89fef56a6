package dev.crownest.contracts.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * A tenant. {@code adminToken} (the tenant admin's session token) is set only in the answer to
 * {@code POST /v1/tenants}, the one time it is shown; {@code adminSessionId} names that session.
 *
 * @param status {@code active} or {@code suspended}
 * @param email  the address it signed up with; null for tenants the operator created
 */
public record TenantView(
        String id,
        String name,
        String plan,
        Instant createdAt,
        String adminSessionId,
        @JsonInclude(JsonInclude.Include.NON_NULL) String adminToken,
        String status,
        @JsonInclude(JsonInclude.Include.NON_NULL) String email) {

    /** The same tenant with its admin token, for the one answer that shows it. */
    public TenantView withAdminToken(String token) {
        return new TenantView(id, name, plan, createdAt, adminSessionId, token, status, email);
    }
}
