package dev.crownest.contracts.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * The answer to {@code POST /v1/signup}: the new tenant, an admin session token and an API key with
 * every tenant scope. Both secrets are shown this once and never again; sandbox-service answers the same
 * shape without them (it only ever sees their hashes), and the gateway adds them.
 */
public record SignupView(
        String tenantId,
        String name,
        String email,
        String plan,
        Instant createdAt,
        String adminSessionId,
        @JsonInclude(JsonInclude.Include.NON_NULL) String adminToken,
        String apiKeyId,
        @JsonInclude(JsonInclude.Include.NON_NULL) String apiKey) {

    /** The same sign-up with the secrets the gateway made, for the one answer that shows them. */
    public SignupView withSecrets(String token, String key) {
        return new SignupView(tenantId, name, email, plan, createdAt, adminSessionId, token, apiKeyId, key);
    }
}
