package dev.crownest.sandbox.template;

import dev.crownest.contracts.event.NodeHeartbeat;
import dev.crownest.contracts.event.PlatformEvent;
import dev.crownest.contracts.event.Topics;
import dev.crownest.contracts.node.NodeTemplate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * The templates each node holds, as its last heartbeat said (nodes send one every 5 s; one older than
 * {@link #FRESH} is not trusted). Every instance reads every heartbeat (a group of its own, from the
 * newest). Without a fresh heartbeat nothing is known, and nothing is refused for it: a create then
 * goes to the node as before.
 */
@Component
class NodeTemplateStates {
    static final Duration FRESH = Duration.ofSeconds(30);

    private record Report(Instant at, List<NodeTemplate> templates) {}

    private final Map<String, Report> byNode = new ConcurrentHashMap<>();
    private final Clock clock;

    NodeTemplateStates(Clock clock) {
        this.clock = clock;
    }

    @KafkaListener(
            topics = Topics.NODE_HEARTBEATS,
            groupId = "sandbox-service-templates-${random.uuid}",
            properties = "auto.offset.reset=latest")
    void on(PlatformEvent event) {
        if (event instanceof NodeHeartbeat beat && beat.templates() != null) {
            byNode.put(beat.nodeId(), new Report(clock.instant(), beat.templates()));
        }
    }

    /**
     * What the nodes say of {@code name}: ready on any node wins, then building, then failed; absent
     * from every fresh report: {@code failed} ("not built"); empty when no node reported lately.
     */
    Optional<NodeTemplate> state(String name) {
        Instant since = clock.instant().minus(FRESH);
        List<NodeTemplate> seen = byNode.values().stream()
                .filter(r -> r.at().isAfter(since))
                .flatMap(r -> r.templates().stream())
                .filter(t -> t.name().equals(name))
                .toList();
        boolean anyReport = byNode.values().stream().anyMatch(r -> r.at().isAfter(since));
        if (!anyReport) {
            return Optional.empty();
        }
        for (String status : List.of(NodeTemplate.READY, NodeTemplate.BUILDING, NodeTemplate.FAILED)) {
            var match = seen.stream().filter(t -> t.status().equals(status)).findFirst();
            if (match.isPresent()) {
                return match;
            }
        }
        return Optional.of(new NodeTemplate(name, NodeTemplate.FAILED, 0, null));
    }
}
