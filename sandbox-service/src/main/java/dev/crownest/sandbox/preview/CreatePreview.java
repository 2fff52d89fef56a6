package dev.crownest.sandbox.preview;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Expose {@code port} of a running sandbox as a preview; the controller checked the sandbox. */
public record CreatePreview(
        @TargetAggregateIdentifier String previewId,
        String sandboxId,
        String tenantId,
        String projectId,
        int port,
        String actor) {}
