package dev.crownest.sandbox.lifecycle;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Delete snapshot {@code snapshotId} of the sandbox; {@code tenantId} must own it. Deleting the snapshot
 * the sandbox is paused at ends the sandbox (killed, reason {@code snapshot_deleted}).
 */
public record DeleteSnapshot(
        @TargetAggregateIdentifier String sandboxId, String snapshotId, String tenantId, String actor) {}
