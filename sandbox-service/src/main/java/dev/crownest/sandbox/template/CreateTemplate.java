package dev.crownest.sandbox.template;

import java.util.List;
import java.util.Map;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Build a custom template; the controller checked the name is free and resolved {@code from} to a node template. */
public record CreateTemplate(
        @TargetAggregateIdentifier String templateId,
        String tenantId,
        String name,
        String from,
        String fromName,
        List<String> run,
        Map<String, String> files,
        String actor) {}
