package dev.crownest.node.limits;

import dev.crownest.contracts.event.PlatformEvent;
import dev.crownest.contracts.event.SandboxDiedOnNode;
import dev.crownest.contracts.event.Topics;
import dev.crownest.node.NodeProperties;
import dev.crownest.node.sandbox.LocalSandbox;
import dev.crownest.node.sandbox.NodeSandboxes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

/**
 * Stops sandboxes that died on their own, so they are not sampled (billed) as running and their
 * workspace is released. gVisor has no OOM killer of its own here: a sandbox past its memory limit
 * is ended whole by the host's OOM killer, and then its cgroup holds no process. Seen empty twice,
 * a second apart, before it counts: a checkpoint empties it for a moment before deleting it. The
 * control plane hears of it ({@link SandboxDiedOnNode} on {@code node-events}) and records the
 * sandbox failed, so it stops counting against the tenant's quota and the API tells the truth.
 */
@Component
class DeadSandboxWatch {
    private static final Logger log = LoggerFactory.getLogger(DeadSandboxWatch.class);

    private final NodeSandboxes sandboxes;
    private final SandboxCgroups cgroups;
    private final KafkaTemplate<String, PlatformEvent> kafka;
    private final NodeProperties node;
    private final Clock clock;
    private final Set<String> seenEmpty = new HashSet<>();

    DeadSandboxWatch(NodeSandboxes sandboxes, SandboxCgroups cgroups, KafkaTemplate<String, PlatformEvent> kafka,
                     NodeProperties node, Clock clock) {
        this.sandboxes = sandboxes;
        this.cgroups = cgroups;
        this.kafka = kafka;
        this.node = node;
        this.clock = clock;
    }

    @Scheduled(fixedDelay = 1000)
    void stopDeadSandboxes() {
        Set<String> emptyNow = new HashSet<>();
        for (LocalSandbox sandbox : sandboxes.all()) {
            // A paused sandbox has no process by design: it lives in its checkpoint image.
            if (!sandbox.paused() && cgroups.isEmpty(sandbox.containerId())) {
                emptyNow.add(sandbox.spec().sandboxId());
            }
        }
        for (String id : emptyNow) {
            if (seenEmpty.contains(id)) {
                sandboxes.find(id).ifPresent(this::stopDead);
            }
        }
        seenEmpty.clear();
        seenEmpty.addAll(emptyNow);
    }

    private void stopDead(LocalSandbox sandbox) {
        String id = sandbox.spec().sandboxId();
        String reason = cgroups.outOfMemory(sandbox.containerId()) ? "out_of_memory" : "sandbox_exited";
        log.warn("sandbox {} died on its own (no process left in its cgroup: {}); stopping it", id, reason);
        sandboxes.stop(id);
        kafka.send(Topics.NODE_EVENTS, id, new SandboxDiedOnNode(UUID.randomUUID(), sandbox.spec().tenantId(),
                clock.instant(), 1, id, node.id(), reason));
    }
}
