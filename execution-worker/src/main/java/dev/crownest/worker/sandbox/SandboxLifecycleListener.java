package dev.crownest.worker.sandbox;

import dev.crownest.contracts.event.PlatformEvent;
import dev.crownest.contracts.event.SandboxEvent;
import dev.crownest.contracts.event.Topics;
import dev.crownest.contracts.node.NodeReport;
import dev.crownest.contracts.node.NodeSandboxSpec;
import dev.crownest.worker.ProcessedEvents;
import dev.crownest.worker.node.NodeAgentClient;
import dev.crownest.worker.report.SandboxServiceReports;
import java.io.IOException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/** Sandbox lifecycle events become starts and stops on the node. */
@Component
class SandboxLifecycleListener {
    private static final Logger log = LoggerFactory.getLogger(SandboxLifecycleListener.class);

    private final NodeAgentClient node;
    private final SandboxServiceReports reports;
    private final ProcessedEvents processed;

    SandboxLifecycleListener(NodeAgentClient node, SandboxServiceReports reports, ProcessedEvents processed) {
        this.node = node;
        this.reports = reports;
        this.processed = processed;
    }

    @KafkaListener(topics = Topics.SANDBOX_EVENTS, concurrency = "3")
    void on(PlatformEvent event) {
        if (!processed.firstTime(event.eventId())) {
            return;
        }
        // Starting takes a few hundred ms of runsc; each on its own virtual thread so creates run side by side.
        switch (event) {
            case SandboxEvent.SandboxCreated created -> Thread.ofVirtual().start(() -> start(created));
            case SandboxEvent.SandboxKilled killed -> Thread.ofVirtual().start(() -> stop(killed.sandboxId()));
            case SandboxEvent.SandboxExpired expired -> Thread.ofVirtual().start(() -> stop(expired.sandboxId()));
            // On the listener's thread: a sandbox's events share a partition, so a pause and the resume
            // after it reach the node in the order they were recorded.
            case SandboxEvent.SandboxPaused paused -> change(paused.sandboxId(), "pause", null, "paused");
            case SandboxEvent.SandboxResumed resumed -> change(resumed.sandboxId(), "resume", null, "resumed");
            case SandboxEvent.SandboxTtlExtended extended ->
                change(
                        extended.sandboxId(),
                        "ttl",
                        Map.of("expiresAt", extended.expiresAt().toString()),
                        "ttl-extended");
            default -> {}
        }
    }

    private void start(SandboxEvent.SandboxCreated created) {
        try {
            var started = node.start(new NodeSandboxSpec(
                    created.sandboxId(),
                    created.tenantId(),
                    created.projectId(),
                    created.template(),
                    created.cpu(),
                    created.memoryMb(),
                    created.diskMb(),
                    created.network() == null ? "off" : created.network().wire(),
                    created.allowedHosts(),
                    created.env(),
                    created.expiresAt()));
            if (!reports.sandboxStarted(created.sandboxId(), new NodeReport.SandboxStarted(started.nodeId()))) {
                // Killed or unknown meanwhile: a sandbox nobody wants must not run (or be metered).
                stop(created.sandboxId());
            }
        } catch (IOException e) {
            log.warn("sandbox {} did not start: {}", created.sandboxId(), e.getMessage());
            reports.sandboxFailed(created.sandboxId(), new NodeReport.SandboxFailed(e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void change(String sandboxId, String action, Object body, String report) {
        try {
            node.change(sandboxId, action, body);
            reports.sandboxChanged(sandboxId, report, new NodeReport.SandboxChanged(true, null));
        } catch (IOException e) {
            log.warn("sandbox {}: {} failed on the node: {}", sandboxId, action, e.getMessage());
            reports.sandboxChanged(sandboxId, report, new NodeReport.SandboxChanged(false, e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void stop(String sandboxId) {
        try {
            node.stop(sandboxId);
        } catch (IOException e) {
            // The node's own TTL guard and reconciliation end it if this call never lands.
            log.warn("sandbox {} could not be stopped now: {}", sandboxId, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
