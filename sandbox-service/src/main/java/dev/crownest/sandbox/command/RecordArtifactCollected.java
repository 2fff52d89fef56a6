package dev.crownest.sandbox.command;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * A declared file of the command is in the artifact store ({@code storageKey}); index it. Only while
 * the command runs (the worker collects before it reports the exit), once per path.
 */
public record RecordArtifactCollected(
        @TargetAggregateIdentifier String commandId,
        String artifactId,
        String projectId,
        String path,
        String name,
        long size,
        String sha256,
        String contentType,
        String storageKey,
        String actor) {}
