package dev.crownest.gateway.file;

import dev.crownest.contracts.api.ApiException;
import dev.crownest.contracts.node.WorkspacePaths;

/**
 * The node agent's workspace path rules ({@link WorkspacePaths}), applied
 * where the gateway must name a path before any node sees it (a signed URL is bound to one normalized
 * path). The node stays the authority: it also refuses symlinks on the way, which only it can see.
 */
final class PathParameters {
    private PathParameters() {}

    /** {@code path} as an absolute path under /workspace; 400 when it is missing or climbs out. */
    static String normalize(String path) {
        if (path == null || path.isBlank()) {
            throw ApiException.badRequest("invalid_path", "path is required");
        }
        try {
            return WorkspacePaths.normalize(path);
        } catch (WorkspacePaths.Refused refused) {
            throw ApiException.badRequest(refused.code(), refused.getMessage());
        }
    }
}
