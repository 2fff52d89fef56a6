package dev.crownest.contracts.node;

/**
 * One template's warm pool on a node: {@code ready} pre-started sandboxes now, and the pool's {@code size}
 * (its target from recent demand).
 */
public record WarmPoolLevel(String template, int ready, int size) {}
