package dev.crownest.node.usage;

import dev.crownest.contracts.event.NodeHeartbeat;
import dev.crownest.contracts.event.PlatformEvent;
import dev.crownest.contracts.event.Topics;
import dev.crownest.contracts.event.UsageSampled;
import dev.crownest.node.NodeProperties;
import dev.crownest.node.limits.SandboxCgroups;
import dev.crownest.node.sandbox.LocalSandbox;
import dev.crownest.node.sandbox.NodeSandboxes;
import dev.crownest.node.template.NodeTemplates;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Each second, one {@link UsageSampled} per running sandbox (paused and warm-pool sandboxes are not sampled). The event id is derived from
 * (sandbox, second), so a sample sent twice is one event to metering. Then the node's {@link NodeHeartbeat}: sent after
 * the samples of each second, the last heartbeat of a node is never older than its last sample, so a lost node's
 * sandboxes can be billed up to that heartbeat exactly (docs/design.md, "Node loss").
 */
@Component
class UsageSampler {
    private final NodeSandboxes sandboxes;
    private final KafkaTemplate<String, PlatformEvent> kafka;
    private final NodeProperties node;
    private final Clock clock;
    private final String agentUrl;
    private final SandboxCgroups cgroups;
    private final NodeTemplates templates;
    private final NodeCapacity capacity;
    /** cpuacct.usage at each sandbox's previous sample: a sample carries the CPU time used since. */
    private final Map<String, Long> cpuNanosAtLastSample = new HashMap<>();

    private long lastSecond;

    UsageSampler(
            NodeSandboxes sandboxes,
            KafkaTemplate<String, PlatformEvent> kafka,
            NodeProperties node,
            Clock clock,
            @Value("http://127.0.0.1:${server.port:8083}") String agentUrl,
            SandboxCgroups cgroups,
            NodeTemplates templates,
            NodeCapacity capacity) {
        this.capacity = capacity;
        this.cgroups = cgroups;
        this.templates = templates;
        this.sandboxes = sandboxes;
        this.kafka = kafka;
        this.node = node;
        this.clock = clock;
        this.agentUrl = agentUrl;
        this.lastSecond = clock.instant().getEpochSecond();
    }

    /** The sandboxes sampled running at the last tick (only they are filled in after a gap). */
    private Set<String> runningAtLastTick = Set.of();

    /** Runs often and samples each whole second that has passed, once. */
    @Scheduled(fixedRate = 250)
    void sample() {
        long now = clock.instant().getEpochSecond();
        if (now <= lastSecond) {
            return;
        }
        Set<String> live = new HashSet<>();
        Set<String> runningNow = new HashSet<>();
        for (long second = lastSecond; second < now; second++) {
            for (LocalSandbox sandbox : sandboxes.all()) {
                long started = sandbox.startedAt().getEpochSecond();
                // A paused sandbox is an image on disk: no compute to meter. After a gap (this task was
                // held up), only a sandbox that ran at the last tick is filled in: one resumed in the gap
                // was paused for part of it, and is metered from now on.
                if (second < started
                        || sandbox.paused()
                        || (second < now - 1
                                && !runningAtLastTick.contains(sandbox.spec().sandboxId()))) {
                    continue;
                }
                runningNow.add(sandbox.spec().sandboxId());
                var spec = sandbox.spec();
                // Its cgroup is named by its runsc container (a warm-pool sandbox keeps the pool's id).
                String container = sandbox.containerId();
                live.add(container);
                // Usage is measured now; after a gap (a long pause of this agent) it goes to the last second.
                double cpuSeconds = second == now - 1 ? cpuSecondsSinceLastSample(container) : 0;
                long memoryBytes =
                        second == now - 1 ? cgroups.memoryBytes(container).orElse(0) : 0;
                UUID eventId =
                        UUID.nameUUIDFromBytes((spec.sandboxId() + ":" + second).getBytes(StandardCharsets.UTF_8));
                // Allocation is what is billed; CPU time and memory used (from the sandbox's cgroup) are informative.
                kafka.send(
                        Topics.USAGE_SAMPLES,
                        spec.sandboxId(),
                        new UsageSampled(
                                eventId,
                                spec.tenantId(),
                                clock.instant(),
                                1,
                                spec.sandboxId(),
                                spec.projectId(),
                                node.id(),
                                second,
                                spec.cpu(),
                                spec.memoryMb(),
                                cpuSeconds,
                                memoryBytes));
            }
        }
        lastSecond = Math.max(lastSecond, now);
        cpuNanosAtLastSample.keySet().retainAll(live);
        runningAtLastTick = runningNow;
        heartbeat();
    }

    private double cpuSecondsSinceLastSample(String containerId) {
        var used = cgroups.cpuNanos(containerId);
        if (used.isEmpty()) {
            return 0;
        }
        Long before = cpuNanosAtLastSample.put(containerId, used.getAsLong());
        return Math.max(0, used.getAsLong() - (before == null ? 0 : before)) / 1e9;
    }

    private void heartbeat() {
        kafka.send(
                Topics.NODE_HEARTBEATS,
                node.id(),
                new NodeHeartbeat(
                        UUID.randomUUID(),
                        null,
                        clock.instant(),
                        2,
                        node.id(),
                        agentUrl,
                        sandboxes.all().size(),
                        templates.list(),
                        capacity.capacity(),
                        capacity.use(),
                        capacity.warmPool(),
                        capacity.sandboxIds()));
    }
}
