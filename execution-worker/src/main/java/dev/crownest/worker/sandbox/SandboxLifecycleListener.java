package dev.crownest.worker.sandbox;

import dev.crownest.contracts.api.ApiException;
import dev.crownest.contracts.event.PlatformEvent;
import dev.crownest.contracts.event.SandboxEvent;
import dev.crownest.contracts.event.Topics;
import dev.crownest.contracts.node.NodeReport;
import dev.crownest.contracts.node.SandboxChange;
import dev.crownest.kit.seal.EnvSeal;
import dev.crownest.nodeclient.NodeClient;
import dev.crownest.nodeclient.protocol.NodeFork;
import dev.crownest.nodeclient.protocol.NodeResume;
import dev.crownest.nodeclient.protocol.NodeSandbox;
import dev.crownest.nodeclient.protocol.NodeSandboxSpec;
import dev.crownest.worker.ProcessedEvents;
import dev.crownest.worker.report.SandboxServiceReports;
import java.net.URI;
import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Sandbox lifecycle events become forks, stops, pauses, resumes and TTL changes on the node. A create
 * from a template is started by sandbox-service itself, on the create's own request (its
 * {@code SandboxStarts}): that is the warm create's critical path, kept off Kafka.
 */
@Component
class SandboxLifecycleListener {
    private static final Logger log = LoggerFactory.getLogger(SandboxLifecycleListener.class);

    private static final Duration START_LIMIT = Duration.ofSeconds(60);
    private static final Duration CHANGE_LIMIT = Duration.ofSeconds(60);
    private static final Duration STOP_LIMIT = Duration.ofSeconds(30);

    private final NodeClient nodes;
    private final URI node;
    private final SandboxServiceReports reports;
    private final ProcessedEvents processed;
    private final EnvSeal envSeal;

    SandboxLifecycleListener(
            NodeClient nodes,
            @Value("${crownest.node-agent.url:http://localhost:8083}") URI node,
            SandboxServiceReports reports,
            ProcessedEvents processed,
            EnvSeal envSeal) {
        this.envSeal = envSeal;
        this.nodes = nodes;
        this.node = node;
        this.reports = reports;
        this.processed = processed;
    }

    @KafkaListener(topics = Topics.SANDBOX_EVENTS, concurrency = "3")
    void on(PlatformEvent event) {
        if (!processed.firstTime(event.eventId())) {
            return;
        }
        // A fork takes a few hundred ms of runsc; each on its own virtual thread so forks run side by side.
        switch (event) {
            case SandboxEvent.SandboxCreated created
            when created.fromSnapshot() != null -> Thread.ofVirtual().start(() -> fork(created));
            case SandboxEvent.SandboxKilled killed -> Thread.ofVirtual().start(() -> stop(killed.sandboxId()));
            case SandboxEvent.SandboxExpired expired -> Thread.ofVirtual().start(() -> stop(expired.sandboxId()));
            // On the listener's thread: a sandbox's events share a partition, so a pause and the resume
            // after it reach the node in the order they were recorded.
            case SandboxEvent.SandboxPaused paused ->
                change(
                        paused.sandboxId(),
                        SandboxChange.PAUSE,
                        () -> nodes.pause(node, paused.sandboxId(), paused.snapshotId()));
            case SandboxEvent.SandboxResumed resumed ->
                change(
                        resumed.sandboxId(),
                        SandboxChange.RESUME,
                        () -> nodes.resume(
                                node, resumed.sandboxId(), new NodeResume(resumed.snapshotId(), resumed.expiresAt())));
            case SandboxEvent.SandboxTtlExtended extended ->
                change(
                        extended.sandboxId(),
                        SandboxChange.EXTEND_TTL,
                        () -> nodes.change(node, extended.sandboxId(), SandboxChange.EXTEND_TTL, extended.expiresAt()));
            default -> {}
        }
    }

    /** A fork restores the snapshot its source is paused at. */
    private void fork(SandboxEvent.SandboxCreated created) {
        try {
            var spec = NodeSandboxSpec.of(created, envSeal.open(created.env()));
            var started = nodes.fork(node, created.sourceSandboxId(), new NodeFork(created.fromSnapshot(), spec))
                    .block(START_LIMIT);
            if (!reports.sandboxStarted(created.sandboxId(), new NodeReport.SandboxStarted(started.nodeId()))) {
                // Killed or unknown meanwhile: a sandbox nobody wants must not run (or be metered).
                stop(created.sandboxId());
            }
        } catch (RuntimeException e) {
            // refused by the node (its message), unreachable, or too slow
            log.warn("sandbox {} did not start: {}", created.sandboxId(), e.getMessage());
            // a node's refusal keeps its code: a fork refused as snapshot_not_current is a 409 to its caller
            String reason = e instanceof ApiException refused ? refused.code() + ": " + e.getMessage() : e.getMessage();
            reports.sandboxFailed(created.sandboxId(), new NodeReport.SandboxFailed(reason));
        }
    }

    /** {@code call}: the node's call that carries the change out; a pause's answer sizes its snapshot. */
    private void change(String sandboxId, SandboxChange change, Supplier<Mono<NodeSandbox>> call) {
        try {
            NodeSandbox changed = call.get().block(CHANGE_LIMIT);
            Long bytes = change == SandboxChange.PAUSE && changed != null ? changed.snapshotBytes() : null;
            reports.sandboxChanged(sandboxId, change, new NodeReport.SandboxChanged(true, null, bytes));
        } catch (RuntimeException e) {
            log.warn("sandbox {}: {} failed on the node: {}", sandboxId, change, e.getMessage());
            reports.sandboxChanged(sandboxId, change, new NodeReport.SandboxChanged(false, e.getMessage()));
        }
    }

    private void stop(String sandboxId) {
        try {
            nodes.stop(node, sandboxId).block(STOP_LIMIT);
        } catch (RuntimeException e) {
            // The node's own TTL guard and reconciliation end it if this call never lands.
            log.warn("sandbox {} could not be stopped now: {}", sandboxId, e.getMessage());
        }
    }
}
