package dev.crownest.sandbox.template;

import dev.crownest.contracts.api.ApiException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a custom template's request may hold: a name of 1-63 of [a-z0-9-]; at most {@value #MAX_STEPS}
 * steps and {@value #MAX_BYTES} bytes of steps and files in all; file paths absolute in the root,
 * lexically confined like the files API's (no NUL, no {@code ..} above the root), and never under the
 * sandbox's own mounts (/workspace is each sandbox's disk, so a template's files there would be hidden).
 * The files are written from inside the build's sandbox, so a symlink cannot lead out of it either.
 */
final class TemplateRules {
    static final int MAX_STEPS = 50;
    static final int MAX_BYTES = 100 * 1024;
    static final Pattern NAME = Pattern.compile("[a-z0-9-]{1,63}");
    private static final List<String> MOUNTS = List.of("/workspace", "/proc", "/sys", "/dev", "/.crownest");

    private TemplateRules() {}

    static void validate(String name, List<String> run, Map<String, String> files) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw ApiException.badRequest("invalid_template_name", "name must be 1-63 characters of a-z, 0-9 and -");
        }
        List<String> steps = run == null ? List.of() : run;
        if (steps.size() > MAX_STEPS) {
            throw ApiException.badRequest("too_many_steps", "at most " + MAX_STEPS + " steps, got " + steps.size());
        }
        long bytes = 0;
        for (int i = 0; i < steps.size(); i++) {
            String step = steps.get(i);
            if (step == null || step.isBlank() || step.indexOf('\0') >= 0) {
                throw ApiException.badRequest(
                        "invalid_step", "step " + (i + 1) + " must be a non-blank command without NUL characters");
            }
            bytes += step.getBytes(StandardCharsets.UTF_8).length;
        }
        for (var file : (files == null ? Map.<String, String>of() : files).entrySet()) {
            checkPath(file.getKey());
            if (file.getValue() == null) {
                throw ApiException.badRequest("invalid_file", "file " + file.getKey() + " has no content");
            }
            bytes += file.getKey().getBytes(StandardCharsets.UTF_8).length
                    + file.getValue().getBytes(StandardCharsets.UTF_8).length;
        }
        if (bytes > MAX_BYTES) {
            throw ApiException.badRequest(
                    "template_too_large", "steps and files hold " + bytes + " bytes; at most " + MAX_BYTES);
        }
    }

    private static void checkPath(String path) {
        if (path == null || !path.startsWith("/") || path.indexOf('\0') >= 0 || path.endsWith("/")) {
            throw ApiException.badRequest(
                    "invalid_path", "a file's path must be absolute, name a file, and hold no NUL");
        }
        int depth = 0;
        for (String name : path.split("/")) {
            if (name.equals("..")) {
                depth--;
            } else if (!name.isEmpty() && !name.equals(".")) {
                depth++;
            }
            if (depth < 0) {
                throw ApiException.badRequest("invalid_path", "path " + path + " climbs out of the root");
            }
        }
        String normal = Path.of(path).normalize().toString();
        if (depth == 0 || MOUNTS.stream().anyMatch(m -> normal.equals(m) || normal.startsWith(m + "/"))) {
            throw ApiException.badRequest(
                    "invalid_path",
                    "path " + path + " is not in the template's root (" + String.join(", ", MOUNTS)
                            + " are each sandbox's own)");
        }
    }
}
