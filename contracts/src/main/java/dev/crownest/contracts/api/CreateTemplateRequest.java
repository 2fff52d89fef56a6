package dev.crownest.contracts.api;

import java.util.List;
import java.util.Map;

/**
 * {@code POST /v1/templates}: a custom template {@code name} (1-63 of [a-z0-9-], unique per tenant)
 * built from template {@code from}: {@code files} (absolute path in the root to content) written
 * first, then each shell command of {@code run} in order.
 */
public record CreateTemplateRequest(String name, String from, List<String> run, Map<String, String> files) {}
