package dev.crownest.gateway.key;

import java.util.Set;

/**
 * What a valid API key allows: the tenant it acts for, its scopes and its optional project.
 *
 * @param keyId      the key's id, used as the actor downstream; never the secret
 * @param secretHash SHA-256 hex of the secret
 * @param projectId  null for a key that sees the whole tenant
 */
public record ApiKeyGrant(String keyId, String tenantId, Set<String> scopes, String projectId, String secretHash) {

    public boolean allows(String scope) {
        return scopes.contains(scope);
    }
}
