package dev.crownest.sandbox.credential;

import dev.crownest.contracts.api.ApiException;
import dev.crownest.kit.caller.Caller;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * How a gateway learns a credential it has not seen yet: by the SHA-256 of what a caller presented.
 * Credential hashes never leave this service in events (issue 15, F4), so this is the one place they
 * are matched. Only live credentials are answered; an unknown or revoked one is 404.
 *
 * <ul>
 *   <li>{@code GET /internal/credentials/keys/{hash}}: {@code {keyId, tenantId, scopes, projectId}}
 *   <li>{@code GET /internal/credentials/sessions/{hash}}: {@code {sessionId, tenantId}}
 * </ul>
 */
@RestController
@RequestMapping("/internal/credentials")
class CredentialController {

    /** A live API key's grant. */
    record KeyGrant(String keyId, String tenantId, List<String> scopes, String projectId) {}

    /** A live tenant admin session. */
    record SessionGrant(String sessionId, String tenantId) {}

    private final JdbcClient jdbc;

    CredentialController(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @GetMapping("/keys/{hash}")
    KeyGrant key(@Caller.NoTenant Caller caller, @PathVariable String hash) {
        SecretHashes.require(hash, "hash");
        return jdbc.sql("""
                        SELECT id, tenant_id, scopes, project_id FROM api_key_view
                        WHERE secret_hash = :hash AND status = 'active'""")
                .param("hash", hash)
                .query((rs, i) -> new KeyGrant(
                        rs.getString("id"),
                        rs.getString("tenant_id"),
                        List.of((String[]) rs.getArray("scopes").getArray()),
                        rs.getString("project_id")))
                .optional()
                .orElseThrow(() -> ApiException.notFound("credential_not_found", "no live key with this hash"));
    }

    @GetMapping("/sessions/{hash}")
    SessionGrant session(@Caller.NoTenant Caller caller, @PathVariable String hash) {
        SecretHashes.require(hash, "hash");
        return jdbc.sql("""
                        SELECT id, tenant_id FROM tenant_admin_session_view
                        WHERE token_hash = :hash AND status = 'active'""")
                .param("hash", hash)
                .query((rs, i) -> new SessionGrant(rs.getString("id"), rs.getString("tenant_id")))
                .optional()
                .orElseThrow(() -> ApiException.notFound("credential_not_found", "no live session with this hash"));
    }
}
