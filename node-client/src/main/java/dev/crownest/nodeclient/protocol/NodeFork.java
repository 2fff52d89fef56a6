package dev.crownest.nodeclient.protocol;

/**
 * Body of {@link NodePaths#FORK}: start {@code spec.sandboxId()} from snapshot {@code snapshotId}, the one
 * the paused source sandbox is at. The fork takes the source's template, shape, network mode and env
 * (the spec's own {@code env}, when not empty, replaces them); {@code spec.expiresAt()} is its own.
 */
public record NodeFork(String snapshotId, NodeSandboxSpec spec) {}
