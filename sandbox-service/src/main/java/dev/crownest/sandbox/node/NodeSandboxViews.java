package dev.crownest.sandbox.node;

import static dev.crownest.sandbox.readmodel.SqlTime.of;

import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** What the sandbox read model says of the sandboxes on each node. */
@Component
class NodeSandboxViews {
    private final JdbcClient jdbc;

    NodeSandboxViews(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The nodes that hold live (running or paused) sandboxes. */
    List<String> nodesWithLiveSandboxes() {
        return jdbc.sql(
                        "SELECT DISTINCT node_id FROM sandbox_view WHERE status IN ('running', 'paused') AND node_id IS NOT NULL")
                .query(String.class)
                .list();
    }

    /** The node's live sandboxes: those that end with it. */
    List<String> liveOn(String nodeId) {
        return jdbc.sql("SELECT id FROM sandbox_view WHERE node_id = :node AND status IN ('running', 'paused')")
                .param("node", nodeId)
                .query(String.class)
                .list();
    }

    /**
     * Of {@code ids}, those the control plane has ended and nobody else stops on the node: lost with it,
     * or ended before {@code endedBefore} (the worker stops a killed or expired one at once).
     */
    List<String> endedAmong(List<String> ids, Instant endedBefore) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("""
                        SELECT id FROM sandbox_view WHERE id IN (:ids)
                          AND status IN ('failed', 'killed', 'expired')
                          AND (failure_reason = :lost OR ended_at < :before)""")
                .param("ids", ids)
                .param("lost", NodeLossDetector.NODE_LOST)
                .param("before", of(endedBefore))
                .query(String.class)
                .list();
    }
}
