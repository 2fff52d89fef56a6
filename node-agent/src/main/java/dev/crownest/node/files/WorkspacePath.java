package dev.crownest.node.files;

import dev.crownest.kit.ApiException;

import java.util.ArrayList;
import java.util.List;

/**
 * A path inside a sandbox's /workspace, as the names from /workspace down. Accepted: relative to
 * /workspace ({@code src/a.py}) or absolute under it ({@code /workspace/src/a.py}). Refused with
 * {@code path_outside_workspace}: absolute paths elsewhere and {@code ..} that climbs out. Symlinks
 * are refused later, while walking the names on the host (see {@link WorkspaceFiles}).
 */
record WorkspacePath(List<String> names) {
    private static final String ROOT = "/workspace";

    static WorkspacePath parse(String path) {
        if (path == null) {
            throw ApiException.badRequest("invalid_path", "path is required");
        }
        if (path.indexOf('\0') >= 0) {
            throw ApiException.badRequest("invalid_path", "path contains a NUL character");
        }
        String relative = path;
        if (path.startsWith("/")) {
            if (!path.equals(ROOT) && !path.startsWith(ROOT + "/")) {
                throw outside(path);
            }
            relative = path.substring(ROOT.length());
        }
        List<String> names = new ArrayList<>();
        for (String name : relative.split("/")) {
            if (name.isEmpty() || name.equals(".")) {
                continue;
            }
            if (name.equals("..")) {
                if (names.isEmpty()) {
                    throw outside(path);
                }
                names.removeLast();
                continue;
            }
            names.add(name);
        }
        return new WorkspacePath(List.copyOf(names));
    }

    static ApiException outside(String path) {
        return ApiException.badRequest("path_outside_workspace", "'" + path + "' is not inside /workspace");
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
        return names.isEmpty() ? ROOT : ROOT + "/" + String.join("/", names);
    }
}
