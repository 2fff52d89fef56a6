package dev.crownest.node.deaths;

import dev.crownest.contracts.event.PlatformEvent;
import dev.crownest.contracts.event.SandboxDiedOnNode;
import dev.crownest.contracts.event.Topics;
import dev.crownest.node.NodeProperties;
import dev.crownest.node.sandbox.LocalSandbox;
import dev.crownest.node.sandbox.NodeSandboxes;
import java.time.Clock;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * What the node does with a sandbox that died without being asked to stop, whichever watch of the
 * runtime found it: stops what is left (no more usage samples, the workspace released) and tells the
 * control plane ({@link SandboxDiedOnNode} on {@code node-events}), which records the sandbox failed,
 * so it stops counting against the tenant's quota and the API tells the truth.
 */
@Component
public class SandboxDeaths {
    private static final Logger log = LoggerFactory.getLogger(SandboxDeaths.class);

    private final NodeSandboxes sandboxes;
    private final KafkaTemplate<String, PlatformEvent> kafka;
    private final NodeProperties node;
    private final Clock clock;

    SandboxDeaths(
            NodeSandboxes sandboxes, KafkaTemplate<String, PlatformEvent> kafka, NodeProperties node, Clock clock) {
        this.sandboxes = sandboxes;
        this.kafka = kafka;
        this.node = node;
        this.clock = clock;
    }

    /** {@code outOfMemory}: the host's OOM killer ended it (else its init exited, reason {@code sandbox_exited}). */
    public void stopDead(LocalSandbox sandbox, boolean outOfMemory) {
        String id = sandbox.spec().sandboxId();
        String reason = outOfMemory ? "out_of_memory" : "sandbox_exited";
        log.warn("sandbox {} died on its own ({}); stopping it", id, reason);
        sandboxes.stop(id);
        kafka.send(
                Topics.NODE_EVENTS,
                id,
                new SandboxDiedOnNode(
                        UUID.randomUUID(), sandbox.spec().tenantId(), clock.instant(), 1, id, node.id(), reason));
    }
}
