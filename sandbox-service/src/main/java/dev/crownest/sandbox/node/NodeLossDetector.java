package dev.crownest.sandbox.node;

import dev.crownest.sandbox.lifecycle.RecordSandboxFailed;
import dev.crownest.sandbox.node.NodeRegistry.KnownNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Loses the nodes that fell silent. A node is silent since its latest heartbeat reached this instance,
 * or since this instance began to hear the heartbeat topic without a break ({@link KafkaHearing}),
 * whichever is later; silent for longer than the heartbeat timeout, it is {@code down}, and each of
 * its running or paused sandboxes ends {@code failed} with reason {@code node_lost}, stopped at the
 * node's last heartbeat (the end fact carries it, so metering closes the interval there and quota is
 * freed). Nothing fires while this instance does not hear the topic: a Kafka outage, or this instance
 * stopped or paused, is not a node's silence.
 *
 * <p>Every instance runs this; two that lose the same node send the same ends, and the Sandbox
 * aggregate records the first (a second finds it ended, or loses the append to the first and finds it
 * ended when retried). A node down stays a candidate while the read model shows it live sandboxes, so
 * an end that failed is sent again at the next tick.
 */
@Component
class NodeLossDetector {
    static final String NODE_LOST = "node_lost";
    private static final Logger log = LoggerFactory.getLogger(NodeLossDetector.class);
    private static final long SEND_TIMEOUT_SECONDS = 10;

    private final NodeRegistry registry;
    private final KafkaHearing hearing;
    private final NodeSandboxViews sandboxes;
    private final CommandGateway commands;
    private final Clock clock;
    private final Duration timeout;
    private List<String> nodesWithLiveSandboxes = List.of();
    private Instant nodesReadAt;

    NodeLossDetector(
            NodeRegistry registry,
            KafkaHearing hearing,
            NodeSandboxViews sandboxes,
            CommandGateway commands,
            Clock clock,
            NodeLossProperties properties) {
        this.registry = registry;
        this.hearing = hearing;
        this.sandboxes = sandboxes;
        this.commands = commands;
        this.clock = clock;
        this.timeout = properties.heartbeatTimeout();
    }

    @Scheduled(fixedDelay = 1000)
    void sweep() {
        if (hearing.hearingSince().isEmpty()) {
            return; // deaf now: no silence can be told from an outage (and no query is worth making)
        }
        Set<String> candidates = new TreeSet<>(nodesWithLiveSandboxes());
        registry.all().forEach(node -> candidates.add(node.id()));
        silentAmong(candidates).forEach(this::lose);
    }

    /**
     * The nodes the read model says hold live sandboxes, read again once a timeout (a node it names that
     * never heartbeats, after a restart of this instance, is lost a timeout after hearing starts anyway).
     */
    private List<String> nodesWithLiveSandboxes() {
        Instant now = clock.instant();
        if (nodesReadAt == null || Duration.between(nodesReadAt, now).compareTo(timeout) >= 0) {
            nodesWithLiveSandboxes = sandboxes.nodesWithLiveSandboxes();
            nodesReadAt = now;
        }
        return nodesWithLiveSandboxes;
    }

    /**
     * Of {@code candidates}, the nodes silent for longer than the timeout: since their latest heartbeat
     * reached this instance or since it hears the topic without a break, whichever is later.
     */
    List<String> silentAmong(Collection<String> candidates) {
        Optional<Instant> heard = hearing.hearingSince();
        if (heard.isEmpty()) {
            return List.of();
        }
        Instant now = clock.instant();
        return candidates.stream()
                .filter(nodeId -> {
                    Instant silentSince = registry.find(nodeId)
                            .map(KnownNode::receivedAt)
                            .filter(received -> received.isAfter(heard.get()))
                            .orElse(heard.get());
                    return Duration.between(silentSince, now).compareTo(timeout) > 0;
                })
                .toList();
    }

    private void lose(String nodeId) {
        KnownNode node = registry.lose(nodeId);
        for (String sandboxId : sandboxes.liveOn(nodeId)) {
            log.warn(
                    "node {} is silent for longer than {}: sandbox {} ends failed ({}), stopped at its last heartbeat {}",
                    nodeId,
                    timeout,
                    sandboxId,
                    NODE_LOST,
                    node.lastHeartbeatAt());
            try {
                commands.send(new RecordSandboxFailed(sandboxId, NODE_LOST, node.lastHeartbeatAt()))
                        .get(SEND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                // another instance recorded it first, or the store is away: the next sweep looks again
                log.info("the end of sandbox {} is not recorded now: {}", sandboxId, e.toString());
            }
        }
    }
}
