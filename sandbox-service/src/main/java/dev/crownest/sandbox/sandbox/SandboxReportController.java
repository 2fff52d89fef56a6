package dev.crownest.sandbox.sandbox;

import dev.crownest.contracts.api.SandboxView;
import dev.crownest.contracts.node.NodeReport;
import dev.crownest.kit.ApiException;
import org.axonframework.commandhandling.gateway.CommandGateway;
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
    private final CommandGateway commands;
    private final SandboxViews views;

    SandboxReportController(CommandGateway commands, SandboxViews views) {
        this.commands = commands;
        this.views = views;
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
