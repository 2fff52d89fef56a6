package dev.crownest.sandbox.lifecycle;

import dev.crownest.contracts.api.ApiException;
import dev.crownest.contracts.api.SandboxView;
import dev.crownest.contracts.node.NodeReport;
import dev.crownest.contracts.node.SandboxChange;
import dev.crownest.sandbox.outcome.OutcomeWaiters;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * What the execution worker reports about sandboxes it started on nodes. Internal network only, no
 * tenant: the worker acts for the platform. Repeating a report changes nothing.
 */
@RestController
@RequestMapping("/internal/reports/sandboxes/{id}")
class SandboxReportController {
    private static final Logger log = LoggerFactory.getLogger(SandboxReportController.class);
    private final CommandGateway commands;
    private final SandboxViews views;
    private final OutcomeWaiters waiters;

    SandboxReportController(CommandGateway commands, SandboxViews views, OutcomeWaiters waiters) {
        this.commands = commands;
        this.views = views;
        this.waiters = waiters;
    }

    /**
     * The node carried out a pause, resume or TTL change ({@code change}: its {@link SandboxChange#report()}),
     * or could not: the aggregate records what the failure leaves (a failed pause a running sandbox, a
     * failed resume a paused one).
     */
    @PostMapping("/{change}")
    SandboxView changed(
            @PathVariable String id,
            @PathVariable("change") String report,
            @RequestBody NodeReport.SandboxChanged body) {
        SandboxChange change = SandboxChange.ofReport(report);
        if (change == null) {
            throw ApiException.notFound("report_not_found", "no report '" + report + "' of a sandbox");
        }
        known(id);
        if (!body.done()) {
            log.warn("node could not carry out {} of sandbox {}: {}", change, id, body.reason());
            commands.sendAndWait(new RecordChangeFailed(id, change, body.reason()));
        } else if (change == SandboxChange.PAUSE && body.snapshotBytes() != null) {
            String snapshotId = known(id).snapshotId();
            if (snapshotId != null) {
                commands.sendAndWait(new RecordSnapshotStored(id, snapshotId, body.snapshotBytes()));
            }
        }
        waiters.complete(OutcomeWaiters.sandboxChanged(id, change));
        return known(id);
    }

    @PostMapping("/started")
    SandboxView started(@PathVariable String id, @RequestBody NodeReport.SandboxStarted report) {
        known(id);
        commands.sendAndWait(new RecordSandboxStarted(id, report.nodeId()));
        return known(id);
    }

    @PostMapping("/failed")
    SandboxView failed(@PathVariable String id, @RequestBody NodeReport.SandboxFailed report) {
        known(id);
        commands.sendAndWait(new RecordSandboxFailed(id, report.reason()));
        return known(id);
    }

    private SandboxView known(String id) {
        return views.find(id).orElseThrow(() -> ApiException.notFound("sandbox_not_found", "no sandbox " + id));
    }
}
