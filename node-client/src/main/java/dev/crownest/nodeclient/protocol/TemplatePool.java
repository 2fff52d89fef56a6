package dev.crownest.nodeclient.protocol;

/** One template's entry in the answer of {@link NodePaths#WARM_POOL}: started sandboxes ready, and the size. */
public record TemplatePool(int ready, int size) {}
