package dev.crownest.sandbox.project;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Create a project of {@code tenantId}. */
public record CreateProject(@TargetAggregateIdentifier String projectId, String tenantId, String name, String actor) {}
