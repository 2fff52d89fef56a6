package dev.crownest.contracts.node;

import dev.crownest.contracts.text.TextRules;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The lexical rules of a path in a sandbox's /workspace, one set for the gateway (which binds a signed
 * URL to a normalized path before any node sees it) and the node agent (the authority, which also
 * refuses symlinks on the way, which only it can see). Accepted: relative to /workspace
 * ({@code src/a.py}) or absolute under it ({@code /workspace/src/a.py}); {@code .} and {@code ..}
 * that stays inside are resolved. Refused: absolute paths elsewhere and {@code ..} that climbs out
 * ({@code path_outside_workspace}), control characters ({@code invalid_text}, see {@link TextRules}) and a
 * name longer than 255 UTF-8 bytes ({@code name_too_long}: what Linux file systems take).
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
        if (TextRules.firstRefused(path, false) >= 0) {
            throw new Refused("invalid_text", "path contains a control character");
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
            if (name.getBytes(StandardCharsets.UTF_8).length > TextRules.MAX_NAME_BYTES) {
                throw new Refused(
                        "name_too_long", "a name in the path is longer than " + TextRules.MAX_NAME_BYTES + " bytes");
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
