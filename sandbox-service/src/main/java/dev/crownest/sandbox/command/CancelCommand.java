package dev.crownest.sandbox.command;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Stop a running command: its process group is killed on the node. */
public record CancelCommand(@TargetAggregateIdentifier String commandId, String actor) {}
