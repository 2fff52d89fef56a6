package dev.crownest.nodeclient.protocol;

import java.time.Instant;

/**
 * Body of {@link NodePaths#RESUME}: the snapshot the sandbox is expected at (null: whichever) and its
 * deadline from now on ({@code expiresAt}; null keeps the one it had). A paused sandbox's TTL does not
 * run, so the control plane moves the deadline on resume.
 */
public record NodeResume(String snapshotId, Instant expiresAt) {}
