package dev.crownest.gateway.key;

import dev.crownest.contracts.event.KeyEvent;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The gateway's exact view of live API keys, built by replaying {@code key-events} from the start.
 * Keys are found by the SHA-256 of the presented secret. A revoked key id is remembered, so a
 * redelivered creation can never bring it back.
 */
@Component
public class ApiKeyCache {

    private static final Logger log = LoggerFactory.getLogger(ApiKeyCache.class);

    private final ConcurrentHashMap<String, ApiKeyGrant> byHash = new ConcurrentHashMap<>();
    private final Set<String> revokedKeyIds = ConcurrentHashMap.newKeySet();
    /** Hashes of revoked keys, so their holders hear {@code key_revoked} rather than "unknown". */
    private final Set<String> revokedHashes = ConcurrentHashMap.newKeySet();

    /** Applies one key event; idempotent, so redelivery and replay are harmless. */
    public void apply(KeyEvent event) {
        switch (event) {
            case KeyEvent.ApiKeyCreated created -> {
                if (created.secretHash() == null) {
                    return;
                }
                if (revokedKeyIds.contains(created.keyId())) {
                    revokedHashes.add(created.secretHash().toLowerCase());
                    return;
                }
                Set<String> scopes = created.scopes() == null ? Set.of() : Set.copyOf(created.scopes());
                byHash.put(
                        created.secretHash().toLowerCase(),
                        new ApiKeyGrant(
                                created.keyId(),
                                created.tenantId(),
                                scopes,
                                created.projectId(),
                                created.secretHash().toLowerCase()));
                log.debug("key {} of tenant {} is live", created.keyId(), created.tenantId());
            }
            case KeyEvent.ApiKeyRevoked revoked -> {
                revokedKeyIds.add(revoked.keyId());
                byHash.values().removeIf(grant -> {
                    boolean gone = grant.keyId().equals(revoked.keyId());
                    if (gone) {
                        revokedHashes.add(grant.secretHash());
                    }
                    return gone;
                });
                log.debug("key {} revoked", revoked.keyId());
            }
        }
    }

    /** The grant of a presented secret, if it belongs to a live key. */
    public Optional<ApiKeyGrant> find(String presentedKey) {
        String hash = SecretHash.of(presentedKey);
        ApiKeyGrant grant = byHash.get(hash);
        // The map lookup finds the candidate; the constant-time check is what accepts it.
        if (grant == null || !SecretHash.same(grant.secretHash(), hash) || revokedKeyIds.contains(grant.keyId())) {
            return Optional.empty();
        }
        return Optional.of(grant);
    }

    /**
     * Remembers a grant sandbox-service answered for a presented secret ({@link CredentialLookup});
     * a key revoked meanwhile (its revocation already applied here) is not brought back.
     */
    public Optional<ApiKeyGrant> learn(ApiKeyGrant grant) {
        if (revokedKeyIds.contains(grant.keyId())) {
            revokedHashes.add(grant.secretHash());
            return Optional.empty();
        }
        byHash.put(grant.secretHash(), grant);
        return Optional.of(grant);
    }

    /** Whether a presented secret belonged to a key that is now revoked. */
    public boolean wasRevoked(String presentedKey) {
        return revokedHashes.contains(SecretHash.of(presentedKey));
    }

    /** Whether the key of this id was revoked (signed URLs it made stop working with it). */
    public boolean isRevoked(String keyId) {
        return revokedKeyIds.contains(keyId);
    }

    public int size() {
        return byHash.size();
    }
}
