package dev.crownest.sandbox.command;

import dev.crownest.contracts.api.ApiException;
import dev.crownest.contracts.api.CommandView;
import dev.crownest.contracts.node.NodeReport;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** The execution worker reports a command's exit; only the first report counts. */
@RestController
class CommandReportController {
    private static final String WORKER = "execution-worker";

    private final CommandGateway commands;
    private final CommandViews views;

    CommandReportController(CommandGateway commands, CommandViews views) {
        this.commands = commands;
        this.views = views;
    }

    @PostMapping("/internal/reports/commands/{commandId}/finished")
    CommandView finished(@PathVariable String commandId, @RequestBody NodeReport.CommandFinished report) {
        known(commandId);
        commands.sendAndWait(new RecordCommandFinished(
                commandId,
                report.exitCode(),
                report.stdout(),
                report.stderr(),
                report.truncated(),
                report.timedOut(),
                report.startedAt(),
                report.finishedAt(),
                WORKER,
                report.collectErrors()));
        return known(commandId);
    }

    private CommandView known(String commandId) {
        return views.find(commandId)
                .orElseThrow(() -> ApiException.notFound("command_not_found", "no command " + commandId));
    }
}
