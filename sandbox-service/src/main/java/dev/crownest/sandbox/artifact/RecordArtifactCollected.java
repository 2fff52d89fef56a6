package dev.crownest.sandbox.artifact;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * A declared file of the command is in the artifact store ({@code storageKey}); index it. Only while
 * the command runs (the worker collects before it reports the exit), once per path. Handled by the
 * Command aggregate, which holds those rules, but sent from here with the upload: the command
 * package uses artifacts (collect paths, the index), never the other way round.
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
