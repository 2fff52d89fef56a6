package dev.crownest.contracts.event;

import dev.crownest.contracts.node.NodeResources;
import dev.crownest.contracts.node.NodeTemplate;
import dev.crownest.contracts.node.WarmPoolLevel;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A node agent's liveness and capacity report, sent with each second's usage samples (so the last
 * heartbeat of a node is never older than its last sample): what the node registry keeps per node.
 * The fields after {@code runningSandboxes} are null from nodes older than them: the templates it holds
 * and their state, its capacity and what its sandboxes use, its warm pools, and the ids of the
 * sandboxes it runs or holds paused (the control plane stops those it has ended).
 */
public record NodeHeartbeat(
        UUID eventId,
        String tenantId,
        Instant occurredAt,
        int schemaVersion,
        String nodeId,
        String agentUrl,
        int runningSandboxes,
        List<NodeTemplate> templates,
        NodeResources capacity,
        NodeResources use,
        List<WarmPoolLevel> warmPool,
        List<String> sandboxIds)
        implements PlatformEvent {

    /** The shape of schema version 1: liveness and templates only. */
    public NodeHeartbeat(
            UUID eventId,
            String tenantId,
            Instant occurredAt,
            int schemaVersion,
            String nodeId,
            String agentUrl,
            int runningSandboxes,
            List<NodeTemplate> templates) {
        this(
                eventId,
                tenantId,
                occurredAt,
                schemaVersion,
                nodeId,
                agentUrl,
                runningSandboxes,
                templates,
                null,
                null,
                null,
                null);
    }

    @Override
    public String resourceId() {
        return nodeId;
    }

    @Override
    public String actor() {
        return nodeId;
    }
}
