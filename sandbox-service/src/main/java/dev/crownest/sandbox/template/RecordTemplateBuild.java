package dev.crownest.sandbox.template;

import dev.crownest.contracts.node.TemplateBuildOutcome;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The worker's report of the build: built or failed, with the steps' logs. */
public record RecordTemplateBuild(@TargetAggregateIdentifier String templateId, TemplateBuildOutcome outcome) {}
