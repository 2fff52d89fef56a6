package dev.crownest.contracts.node;

import dev.crownest.contracts.api.TemplateStepLog;
import java.util.List;

/**
 * What a node answers to a template build, and what the worker reports to
 * {@code POST /internal/reports/templates/{id}}: built ({@code sizeBytes} of the image), or failed at
 * step {@code failedStep} (1-based; null when the failure was not a step's) for {@code reason}.
 */
public record TemplateBuildOutcome(
        boolean built,
        long sizeBytes,
        long durationMs,
        String nodeId,
        List<TemplateStepLog> steps,
        Integer failedStep,
        String reason) {}
