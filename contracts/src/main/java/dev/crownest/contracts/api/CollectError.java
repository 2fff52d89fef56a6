package dev.crownest.contracts.api;

/**
 * A declared file that did not become an artifact although the command exited 0; the command still
 * finished. {@code code}: {@code file_not_found}, {@code is_a_directory}, {@code path_outside_workspace}
 * (a symlink on the way), {@code artifact_too_large}, {@code collect_failed}.
 */
public record CollectError(String path, String code, String message) {}
