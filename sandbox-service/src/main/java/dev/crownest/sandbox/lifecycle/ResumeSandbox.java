package dev.crownest.sandbox.lifecycle;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Resume a paused sandbox; {@code tenantId} must own it. With {@code snapshotId}, only if it is paused
 * at that snapshot (else 409 {@code snapshot_not_current}). Answers true when this changed anything.
 */
public record ResumeSandbox(
        @TargetAggregateIdentifier String sandboxId, String tenantId, String actor, String snapshotId) {

    public ResumeSandbox(String sandboxId, String tenantId, String actor) {
        this(sandboxId, tenantId, actor, null);
    }
}
