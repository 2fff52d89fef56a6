package dev.crownest.nodeclient.protocol;

import java.util.List;
import java.util.Map;

/**
 * A custom template's build ({@link NodePaths#TEMPLATE_BUILD}): start a sandbox of template {@code from}
 * for {@code tenantId} (metered as that tenant's), with network restricted, write {@code files}
 * (absolute paths in the root), run each of {@code run} with {@code sh -c} for at most
 * {@code stepTimeoutMs} (0: the node's default), and keep the root's changes as the new template.
 */
public record TemplateBuild(
        String from, String tenantId, List<String> run, Map<String, String> files, long stepTimeoutMs) {}
