package dev.crownest.worker.sandbox;

import dev.crownest.contracts.event.PlatformEvent;
import dev.crownest.contracts.event.SandboxDiedOnNode;
import dev.crownest.contracts.event.Topics;
import dev.crownest.contracts.node.NodeReport;
import dev.crownest.worker.report.SandboxServiceReports;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * A sandbox that died on its node (out of memory, or its init exited) is reported failed to the
 * control plane, which ends it there: its quota allocation is given back and the API shows why.
 */
@Component
class SandboxDeathListener {
    private static final Logger log = LoggerFactory.getLogger(SandboxDeathListener.class);

    private final SandboxServiceReports reports;

    SandboxDeathListener(SandboxServiceReports reports) {
        this.reports = reports;
    }

    @KafkaListener(topics = Topics.NODE_EVENTS)
    void on(PlatformEvent event) {
        // a report repeated on redelivery is answered as done by sandbox-service: no dedup needed here
        if (event instanceof SandboxDiedOnNode died) {
            log.info(
                    "sandbox {} died on node {} ({}); reporting it failed",
                    died.sandboxId(),
                    died.nodeId(),
                    died.reason());
            reports.sandboxFailed(died.sandboxId(), new NodeReport.SandboxFailed(died.reason()));
        }
    }
}
