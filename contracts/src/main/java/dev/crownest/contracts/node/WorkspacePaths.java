package dev.crownest.contracts.node;

import java.util.ArrayList;
import java.util.List;

/**
 * The lexical rules of a path in a sandbox's /workspace, one set for the gateway (which binds a signed
 * URL to a normalized path before any node sees it) and the node agent (the authority, which also
 * refuses symlinks on the way, which only it can see). Accepted: relative to /workspace
 * ({@code src/a.py}) or absolute under it ({@code /workspace/src/a.py}); {@code .} and {@code ..}
 * that stays inside are resolved. Refused: absolute paths elsewhere and {@code ..} that climbs out.
 */
public final class WorkspacePaths {
    public static final String ROOT = "/workspace";

    /** A refused path; {@link #code()} is the API error code, the message says why (never more than the path). */
    public static final class Refused extends IllegalArgumentException {
        private final String code;

        private Refused(String code, String message) {
            super(message);
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    private WorkspacePaths() {}

    /** The names from /workspace down (none for /workspace itself). */
    public static List<String> names(String path) {
        if (path == null) {
            throw new Refused("invalid_path", "path is required");
        }
        if (path.indexOf('\0') >= 0) {
            throw new Refused("invalid_path", "path contains a NUL character");
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
        return List.copyOf(names);
    }

    /** The path as an absolute one under /workspace. */
    public static String normalize(String path) {
        List<String> names = names(path);
        return names.isEmpty() ? ROOT : ROOT + "/" + String.join("/", names);
    }

    /** The refusal of a path that is (or leads) outside /workspace. */
    public static Refused outside(String path) {
        return new Refused("path_outside_workspace", "'" + path + "' is not inside /workspace");
    }
}
