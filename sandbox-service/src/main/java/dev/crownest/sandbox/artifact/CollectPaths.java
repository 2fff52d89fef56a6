package dev.crownest.sandbox.artifact;

import dev.crownest.contracts.api.ApiException;
import dev.crownest.contracts.api.CollectFile;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code collect} list of a run, checked and normalized when the command is accepted: paths
 * relative to /workspace without {@code .} segments, never climbing out ({@code ..} is refused outright,
 * as is an absolute path elsewhere), each at most once, with a name. The node agent checks again when
 * the files are read (symlinks included), this only makes a bad request a 400 before anything runs.
 */
public final class CollectPaths {
    public static final int MAX_FILES = 20;
    private static final int MAX_PATH = 1024;
    private static final int MAX_NAME = 255;
    private static final String WORKSPACE = "/workspace";

    private CollectPaths() {}

    /** The normalized list (empty for none); {@link ApiException} 400 on anything else. */
    public static List<CollectFile> normalize(List<CollectFile> collect) {
        if (collect == null || collect.isEmpty()) {
            return List.of();
        }
        if (collect.size() > MAX_FILES) {
            throw ApiException.badRequest("too_many_collect_paths", "collect takes at most " + MAX_FILES + " files");
        }
        List<CollectFile> normalized = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (CollectFile file : collect) {
            if (file == null) {
                throw invalidPath("null");
            }
            String path = path(file.path());
            if (!seen.add(path)) {
                throw ApiException.badRequest("duplicate_collect_path", "collect names " + path + " twice");
            }
            normalized.add(new CollectFile(path, name(file.name(), path)));
        }
        return List.copyOf(normalized);
    }

    private static String path(String raw) {
        if (raw == null || raw.isBlank() || raw.length() > MAX_PATH || raw.indexOf('\0') >= 0) {
            throw invalidPath(raw);
        }
        String relative = raw;
        if (raw.startsWith("/")) {
            if (!raw.startsWith(WORKSPACE + "/")) {
                throw invalidPath(raw);
            }
            relative = raw.substring(WORKSPACE.length() + 1);
        }
        List<String> segments = new ArrayList<>();
        for (String segment : relative.split("/")) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                throw invalidPath(raw);
            }
            segments.add(segment);
        }
        if (segments.isEmpty()) {
            throw invalidPath(raw);
        }
        return String.join("/", segments);
    }

    private static String name(String name, String path) {
        if (name == null) {
            return path.substring(path.lastIndexOf('/') + 1);
        }
        if (name.isBlank()
                || name.length() > MAX_NAME
                || name.contains("/")
                || name.indexOf('\0') >= 0
                || name.equals(".")
                || name.equals("..")) {
            throw ApiException.badRequest(
                    "invalid_collect_name", "a collect name is 1-" + MAX_NAME + " characters without '/'");
        }
        return name;
    }

    private static ApiException invalidPath(String raw) {
        return ApiException.badRequest(
                "invalid_collect_path", "collect paths are files under /workspace (relative to it, no '..'): " + raw);
    }
}
