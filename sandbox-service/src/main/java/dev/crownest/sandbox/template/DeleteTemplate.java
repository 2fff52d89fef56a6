package dev.crownest.sandbox.template;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Delete a custom template; the controller checked that no sandbox uses it. */
public record DeleteTemplate(@TargetAggregateIdentifier String templateId, String actor) {}
