package dev.crownest.worker.template;

import dev.crownest.contracts.event.PlatformEvent;
import dev.crownest.contracts.event.TemplateEvent;
import dev.crownest.contracts.event.Topics;
import dev.crownest.contracts.node.TemplateBuildOutcome;
import dev.crownest.nodeclient.NodeClient;
import dev.crownest.nodeclient.protocol.TemplateBuild;
import dev.crownest.worker.ProcessedEvents;
import dev.crownest.worker.report.SandboxServiceReports;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Custom templates become builds on the node (answered when done, reported to sandbox-service) and
 * deletes of their image there. A build that the node refuses or that does not answer is reported
 * failed, so no template stays building for good while the worker runs.
 */
@Component
class TemplateBuildListener {
    private static final Logger log = LoggerFactory.getLogger(TemplateBuildListener.class);
    /** The longest build waited for: 50 steps at the node's default 10 min timeout, and the packing. */
    private static final Duration BUILD_LIMIT = Duration.ofHours(9);

    private final NodeClient nodes;
    private final URI node;
    private final SandboxServiceReports reports;
    private final ProcessedEvents processed;

    TemplateBuildListener(
            NodeClient nodes,
            @Value("${crownest.node-agent.url:http://localhost:8083}") URI node,
            SandboxServiceReports reports,
            ProcessedEvents processed) {
        this.nodes = nodes;
        this.node = node;
        this.reports = reports;
        this.processed = processed;
    }

    @KafkaListener(topics = Topics.TEMPLATE_EVENTS)
    void on(PlatformEvent event) {
        if (!processed.firstTime(event.eventId())) {
            return;
        }
        switch (event) {
            case TemplateEvent.TemplateBuildRequested requested ->
                Thread.ofVirtual().start(() -> build(requested));
            case TemplateEvent.TemplateDeleted deleted -> Thread.ofVirtual().start(() -> delete(deleted));
            default -> {}
        }
    }

    private void build(TemplateEvent.TemplateBuildRequested requested) {
        TemplateBuildOutcome outcome;
        try {
            outcome = nodes.buildTemplate(
                            node,
                            requested.templateId(),
                            new TemplateBuild(
                                    requested.from(), requested.tenantId(), requested.run(), requested.files(), 0))
                    .block(BUILD_LIMIT);
        } catch (RuntimeException e) {
            log.warn("template {} did not build: {}", requested.templateId(), e.getMessage());
            outcome = new TemplateBuildOutcome(false, 0, 0, null, List.of(), null, e.getMessage());
        }
        reports.templateBuilt(requested.templateId(), outcome);
    }

    private void delete(TemplateEvent.TemplateDeleted deleted) {
        try {
            nodes.deleteTemplate(node, deleted.templateId()).block(Duration.ofMinutes(2));
        } catch (RuntimeException e) {
            log.warn("template {}: the node did not drop its image: {}", deleted.templateId(), e.getMessage());
        }
    }
}
