package dev.crownest.sandbox.node;

import dev.crownest.contracts.event.HeartbeatProbe;
import dev.crownest.contracts.event.NodeHeartbeat;
import dev.crownest.contracts.event.PlatformEvent;
import dev.crownest.contracts.event.Topics;
import dev.crownest.contracts.node.NodeView;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * The node fleet as the heartbeats tell it: a read model in memory, rebuilt from the heartbeats (each
 * instance reads every heartbeat in a group of its own, from the newest; a node heartbeats every second).
 * A node is {@code down} from when the {@link NodeLossDetector} lost it until it heartbeats again.
 */
@Component
class NodeRegistry {
    /**
     * What is known of one node: its latest heartbeat (null for a node known only from its sandboxes),
     * when this instance received it (its own clock), and since when it is down (null: not down).
     */
    record KnownNode(String id, NodeHeartbeat latest, Instant receivedAt, Instant downSince) {
        NodeView view() {
            String state = downSince != null ? NodeView.DOWN : NodeView.READY;
            if (latest == null) {
                return new NodeView(id, null, state, null, null, List.of(), List.of(), null);
            }
            return new NodeView(
                    id,
                    latest.agentUrl(),
                    state,
                    latest.capacity(),
                    latest.use(),
                    latest.templates() == null ? List.of() : latest.templates(),
                    latest.warmPool() == null ? List.of() : latest.warmPool(),
                    latest.occurredAt());
        }

        /** Its last heartbeat's time (the node's clock): where a lost node's sandboxes stopped running. */
        Instant lastHeartbeatAt() {
            return latest == null ? null : latest.occurredAt();
        }
    }

    private final Map<String, KnownNode> nodes = new ConcurrentHashMap<>();
    private final Clock clock;
    private final KafkaHearing hearing;
    private final NodeReconciliation reconciliation;

    NodeRegistry(Clock clock, KafkaHearing hearing, NodeReconciliation reconciliation) {
        this.clock = clock;
        this.hearing = hearing;
        this.reconciliation = reconciliation;
    }

    @KafkaListener(
            topics = Topics.NODE_HEARTBEATS,
            groupId = "sandbox-service-nodes-${random.uuid}",
            properties = "auto.offset.reset=latest")
    void on(PlatformEvent event) {
        switch (event) {
            case NodeHeartbeat beat -> heard(beat);
            case HeartbeatProbe probe -> hearing.arrived(probe);
            default -> {}
        }
    }

    /** A heartbeat: the node is alive now (a down one is back), and stops what the control plane ended. */
    void heard(NodeHeartbeat beat) {
        Instant now = clock.instant();
        nodes.compute(beat.nodeId(), (id, known) -> {
            // a heartbeat delayed behind a newer one changes nothing but the receipt time
            NodeHeartbeat latest = known != null
                            && known.latest() != null
                            && known.latest().occurredAt().isAfter(beat.occurredAt())
                    ? known.latest()
                    : beat;
            return new KnownNode(id, latest, now, null);
        });
        reconciliation.check(beat);
    }

    /** Marks the node down (kept down until it heartbeats again); answers its record as it was. */
    KnownNode lose(String nodeId) {
        Instant now = clock.instant();
        return nodes.compute(
                nodeId,
                (id, known) -> known == null
                        ? new KnownNode(id, null, null, now)
                        : new KnownNode(
                                id,
                                known.latest(),
                                known.receivedAt(),
                                known.downSince() == null ? now : known.downSince()));
    }

    Optional<KnownNode> find(String nodeId) {
        return Optional.ofNullable(nodes.get(nodeId));
    }

    Collection<KnownNode> all() {
        return nodes.values();
    }

    List<NodeView> views() {
        return nodes.values().stream()
                .map(KnownNode::view)
                .sorted(Comparator.comparing(NodeView::id))
                .toList();
    }
}
