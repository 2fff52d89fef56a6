package dev.crownest.contracts.api;

import com.fasterxml.jackson.annotation.JsonCreator;

/**
 * A file a command declares for collection ({@code collect} of {@link RunCommandRequest}): {@code path}
 * relative to /workspace (or absolute under it), {@code name} what the artifact is called (default:
 * the path's last segment). In JSON either {@code {"path":"out/a.txt","name":"a"}} or just the path string.
 */
public record CollectFile(String path, String name) {

    /** The short form: a bare path string. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static CollectFile of(String path) {
        return new CollectFile(path, null);
    }
}
