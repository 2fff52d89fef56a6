package dev.crownest.contracts.api;

import java.time.Instant;
import java.util.List;

/** Answer of {@code GET /v1/sandboxes/{id}/files/list}: one directory of /workspace, not recursive. */
public record FileListing(String path, List<Entry> entries) {

    /**
     * One directory entry.
     *
     * @param type file, directory, symlink (listed, never followed) or other
     * @param size bytes, for files
     */
    public record Entry(String name, String path, String type, long size, Instant modified) {}
}
