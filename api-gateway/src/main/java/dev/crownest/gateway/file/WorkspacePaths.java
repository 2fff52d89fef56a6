package dev.crownest.gateway.file;

import dev.crownest.gateway.error.GatewayException;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The lexical rules of the node agent's workspace paths, applied where the gateway must name a path
 * before any node sees it (a signed URL is bound to one normalized path). The node stays the authority:
 * it also refuses symlinks on the way, which only it can see.
 */
final class WorkspacePaths {
    private static final String ROOT = "/workspace";

    private WorkspacePaths() {
    }

    /** {@code path} as an absolute path under /workspace; 400 when it is missing or climbs out. */
    static String normalize(String path) {
        if (path == null || path.isBlank()) {
            throw GatewayException.invalidRequest("invalid_path", "path is required");
        }
        if (path.indexOf('\0') >= 0) {
            throw GatewayException.invalidRequest("invalid_path", "path contains a NUL character");
        }
        String relative = path;
        if (path.startsWith("/")) {
            if (!path.equals(ROOT) && !path.startsWith(ROOT + "/")) {
                throw outside(path);
            }
            relative = path.substring(ROOT.length());
        }
        Deque<String> names = new ArrayDeque<>();
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
            names.addLast(name);
        }
        return names.isEmpty() ? ROOT : ROOT + "/" + String.join("/", names);
    }

    private static GatewayException outside(String path) {
        return GatewayException.invalidRequest("path_outside_workspace", "'" + path + "' is not inside /workspace");
    }
}
