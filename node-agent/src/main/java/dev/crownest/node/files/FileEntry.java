package dev.crownest.node.files;

import java.time.Instant;

/**
 * One entry of a directory listing.
 *
 * @param type file, directory, symlink or other (symlinks are listed, never followed)
 * @param size bytes, for files
 */
public record FileEntry(String name, String path, String type, long size, Instant modified) {}
