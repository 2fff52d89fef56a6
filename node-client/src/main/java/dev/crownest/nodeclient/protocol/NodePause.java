package dev.crownest.nodeclient.protocol;

/** Body of {@link NodePaths#PAUSE}: the id the control plane gave the snapshot this pause makes (may be null). */
public record NodePause(String snapshotId) {}
