package dev.crownest.sandbox.lifecycle;

import dev.crownest.contracts.api.ApiException;
import dev.crownest.contracts.api.SandboxView;
import dev.crownest.contracts.node.NodeReport;
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
    /** Who undoes a pause or resume the node could not carry out. */
    static final String NODE_ACTOR = "node";

    private final CommandGateway commands;
    private final SandboxViews views;
    private final OutcomeWaiters waiters;

    SandboxReportController(CommandGateway commands, SandboxViews views, OutcomeWaiters waiters) {
        this.commands = commands;
        this.views = views;
        this.waiters = waiters;
    }

    /** The node paused it; or it could not, and then the sandbox is recorded running again (it never stopped). */
    @PostMapping("/paused")
    SandboxView paused(@PathVariable String id, @RequestBody NodeReport.SandboxChanged report) {
        SandboxView view = known(id);
        if (!report.done()) {
            log.warn("node could not pause sandbox {}: {}", id, report.reason());
            if ("paused".equals(view.status())) {
                commands.sendAndWait(new ResumeSandbox(id, views.tenantOf(id).orElseThrow(), NODE_ACTOR));
            }
        }
        waiters.complete(OutcomeWaiters.sandboxChanged(id, "paused"));
        return known(id);
    }

    /** The node resumed it; or it could not, and then it is recorded paused again (its image is kept). */
    @PostMapping("/resumed")
    SandboxView resumed(@PathVariable String id, @RequestBody NodeReport.SandboxChanged report) {
        SandboxView view = known(id);
        if (!report.done()) {
            log.warn("node could not resume sandbox {}: {}", id, report.reason());
            if ("running".equals(view.status())) {
                commands.sendAndWait(new PauseSandbox(id, views.tenantOf(id).orElseThrow(), NODE_ACTOR));
            }
        }
        waiters.complete(OutcomeWaiters.sandboxChanged(id, "resumed"));
        return known(id);
    }

    /** The node's TTL guard follows the new deadline (or the node no longer has the sandbox). */
    @PostMapping("/ttl-extended")
    SandboxView ttlExtended(@PathVariable String id, @RequestBody NodeReport.SandboxChanged report) {
        if (!report.done()) {
            log.warn("node did not take the new deadline of sandbox {}: {}", id, report.reason());
        }
        waiters.complete(OutcomeWaiters.sandboxChanged(id, "ttl"));
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
