package dev.crownest.contracts.node;

import java.time.Instant;
import java.util.List;

/**
 * A node of the fleet as its heartbeats tell it: the API shape of the node registry ({@code GET /v1/nodes}, operator only).
 *
 * @param id              the node's id
 * @param address         its node agent's URL
 * @param state           {@code ready}, {@code draining} or {@code down} (silent for longer than the
 *                        heartbeat timeout)
 * @param capacity        what it offers; null when it has not said (an older node agent)
 * @param use             what its sandboxes hold; null likewise
 * @param templates       the templates it holds, with their state
 * @param warmPool        its warm pools, per template
 * @param lastHeartbeatAt when it sent its latest heartbeat (its own clock)
 */
public record NodeView(
        String id,
        String address,
        String state,
        NodeResources capacity,
        NodeResources use,
        List<NodeTemplate> templates,
        List<WarmPoolLevel> warmPool,
        Instant lastHeartbeatAt) {
    public static final String READY = "ready";
    public static final String DRAINING = "draining";
    public static final String DOWN = "down";
}
