package dev.crownest.contracts.api;

import java.util.List;

/** {@code GET /v1/templates/{name}/logs}: each step of the build; {@code failedStep} names the one that failed. */
public record TemplateLogs(String name, String status, Integer failedStep, String error, List<TemplateStepLog> steps) {}
