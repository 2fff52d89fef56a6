package dev.crownest.contracts.event;

import dev.crownest.contracts.node.NodeTemplate;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A node agent's periodic liveness and capacity report, with the templates it holds and their state
 * ({@code templates}; null from nodes older than the field): what a node registry keeps per node.
 */
public record NodeHeartbeat(
        UUID eventId,
        String tenantId,
        Instant occurredAt,
        int schemaVersion,
        String nodeId,
        String agentUrl,
        int runningSandboxes,
        List<NodeTemplate> templates)
        implements PlatformEvent {
    @Override
    public String resourceId() {
        return nodeId;
    }

    @Override
    public String actor() {
        return nodeId;
    }
}
