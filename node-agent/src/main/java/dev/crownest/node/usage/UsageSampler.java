package dev.crownest.node.usage;

import dev.crownest.contracts.event.NodeHeartbeat;
import dev.crownest.contracts.event.PlatformEvent;
import dev.crownest.contracts.event.Topics;
import dev.crownest.contracts.event.UsageSampled;
import dev.crownest.node.NodeProperties;
import dev.crownest.node.sandbox.LocalSandbox;
import dev.crownest.node.sandbox.NodeSandboxes;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.UUID;

/**
 * Each second, one {@link UsageSampled} per running sandbox (paused and warm-pool sandboxes are not sampled). The event id is derived from
 * (sandbox, second), so a sample sent twice is one event to metering.
 */
@Component
class UsageSampler {
    private final NodeSandboxes sandboxes;
    private final KafkaTemplate<String, PlatformEvent> kafka;
    private final NodeProperties node;
    private final Clock clock;
    private final String agentUrl;
    private long lastSecond;

    UsageSampler(NodeSandboxes sandboxes, KafkaTemplate<String, PlatformEvent> kafka, NodeProperties node, Clock clock,
                 @Value("http://127.0.0.1:${server.port:8083}") String agentUrl) {
        this.sandboxes = sandboxes;
        this.kafka = kafka;
        this.node = node;
        this.clock = clock;
        this.agentUrl = agentUrl;
        this.lastSecond = clock.instant().getEpochSecond();
    }

    /** Runs often and samples each whole second that has passed, once. */
    @Scheduled(fixedRate = 250)
    void sample() {
        long now = clock.instant().getEpochSecond();
        for (long second = lastSecond; second < now; second++) {
            for (LocalSandbox sandbox : sandboxes.all()) {
                long started = sandbox.startedAt().getEpochSecond();
                // A paused sandbox is an image on disk: no compute to meter.
                if (second < started || sandbox.paused()) {
                    continue;
                }
                var spec = sandbox.spec();
                UUID eventId = UUID.nameUUIDFromBytes((spec.sandboxId() + ":" + second).getBytes(StandardCharsets.UTF_8));
                // CPU time and memory used are not read yet (runsc's cgroup support fails here); allocation is what is billed.
                kafka.send(Topics.USAGE_SAMPLES, spec.sandboxId(), new UsageSampled(eventId, spec.tenantId(), clock.instant(), 1,
                        spec.sandboxId(), spec.projectId(), node.id(), second, spec.cpu(), spec.memoryMb(), 0, 0));
            }
        }
        lastSecond = Math.max(lastSecond, now);
    }

    @Scheduled(fixedRate = 5000)
    void heartbeat() {
        kafka.send(Topics.NODE_HEARTBEATS, node.id(), new NodeHeartbeat(UUID.randomUUID(), null, clock.instant(), 1,
                node.id(), agentUrl, sandboxes.all().size()));
    }
}
