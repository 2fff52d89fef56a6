package dev.crownest.gateway.key;

import dev.crownest.contracts.event.TenantEvent;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * The gateway's exact view of tenant admin sessions, built from the identity stream ({@code key-events})
 * like the {@link ApiKeyCache}: a token is found by its SHA-256 and accepted after a constant-time
 * comparison. A revoked session id is remembered, so a redelivered opening can never bring it back.
 */
@Component
public class TenantAdminSessions {

    /** A live session: who acts ({@code sessionId}) and for which tenant. */
    public record AdminSession(String sessionId, String tenantId, String tokenHash) {}

    private final ConcurrentHashMap<String, AdminSession> byHash = new ConcurrentHashMap<>();
    private final Set<String> revokedSessionIds = ConcurrentHashMap.newKeySet();

    /** Applies one tenant event; idempotent, so redelivery and replay are harmless. */
    public void apply(TenantEvent event) {
        switch (event) {
            case TenantEvent.TenantAdminSessionOpened opened -> {
                if (opened.tokenHash() == null || revokedSessionIds.contains(opened.sessionId())) {
                    return;
                }
                String hash = opened.tokenHash().toLowerCase();
                byHash.put(hash, new AdminSession(opened.sessionId(), opened.tenantId(), hash));
            }
            case TenantEvent.TenantAdminSessionRevoked revoked -> {
                revokedSessionIds.add(revoked.sessionId());
                byHash.values().removeIf(session -> session.sessionId().equals(revoked.sessionId()));
            }
            default -> {
                // the tenant's first session arrives as its own event; suspensions are SuspendedTenants'
            }
        }
    }

    /** Remembers a session sandbox-service answered ({@link CredentialLookup}), unless revoked meanwhile. */
    public Optional<AdminSession> learn(AdminSession session) {
        if (revokedSessionIds.contains(session.sessionId())) {
            return Optional.empty();
        }
        byHash.put(session.tokenHash(), session);
        return Optional.of(session);
    }

    /** The session of a presented bearer token, if it is live. */
    public Optional<AdminSession> find(String presentedToken) {
        String hash = SecretHash.of(presentedToken);
        AdminSession session = byHash.get(hash);
        if (session == null
                || !SecretHash.same(session.tokenHash(), hash)
                || revokedSessionIds.contains(session.sessionId())) {
            return Optional.empty();
        }
        return Optional.of(session);
    }
}
