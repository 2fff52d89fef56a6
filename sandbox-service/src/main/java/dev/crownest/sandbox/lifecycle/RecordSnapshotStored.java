package dev.crownest.sandbox.lifecycle;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The node saved the snapshot a pause made: {@code sizeBytes} on its disk. */
public record RecordSnapshotStored(
        @TargetAggregateIdentifier String sandboxId, String snapshotId, long sizeBytes) {}
