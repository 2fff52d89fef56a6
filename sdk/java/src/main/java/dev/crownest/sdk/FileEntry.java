package dev.crownest.sdk;

import java.time.Instant;

/** One entry of a directory listing; {@code type} is {@code file}, {@code directory} or {@code symlink}. */
public record FileEntry(String name, String path, String type, long size, Instant modified) {}
