package dev.crownest.gateway.file;

import dev.crownest.gateway.key.ApiKeyGrant;

/**
 * On whose behalf a file operation runs: an API key's tenant, project restriction and id (the actor),
 * or the same taken from a signed URL the key made.
 *
 * @param projectId null when the caller sees the whole tenant
 */
record FileCaller(String tenantId, String projectId, String actor) {

    static FileCaller of(ApiKeyGrant grant) {
        return new FileCaller(grant.tenantId(), grant.projectId(), grant.keyId());
    }
}
