package dev.crownest.node.files;

import dev.crownest.contracts.api.ApiException;
import dev.crownest.contracts.node.WorkspacePaths;
import java.util.List;

/**
 * A path inside a sandbox's /workspace, as the names from /workspace down, by the rules of
 * {@link WorkspacePaths}. Symlinks are refused later, while walking the names on the host (see
 * {@link WorkspaceFiles}).
 */
record WorkspacePath(List<String> names) {
    static WorkspacePath parse(String path) {
        try {
            return new WorkspacePath(WorkspacePaths.names(path));
        } catch (WorkspacePaths.Refused refused) {
            throw ApiException.badRequest(refused.code(), refused.getMessage());
        }
    }

    static ApiException outside(String path) {
        WorkspacePaths.Refused refused = WorkspacePaths.outside(path);
        return ApiException.badRequest(refused.code(), refused.getMessage());
    }

    boolean isRoot() {
        return names.isEmpty();
    }

    /** The path of the directory holding this one; the root has none. */
    WorkspacePath parent() {
        return new WorkspacePath(names.subList(0, names.size() - 1));
    }

    String name() {
        return names.getLast();
    }

    /** As the sandbox sees it. */
    @Override
    public String toString() {
        return names.isEmpty() ? WorkspacePaths.ROOT : WorkspacePaths.ROOT + "/" + String.join("/", names);
    }
}
