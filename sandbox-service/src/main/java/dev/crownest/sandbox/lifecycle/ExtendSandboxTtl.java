package dev.crownest.sandbox.lifecycle;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Let a live sandbox run until {@code ttlMs} from now; {@code tenantId} must own it. */
public record ExtendSandboxTtl(
        @TargetAggregateIdentifier String sandboxId, String tenantId, long ttlMs, String actor) {}
