package dev.crownest.sandbox.command;

import dev.crownest.contracts.api.ApiException;
import dev.crownest.contracts.api.CommandView;
import dev.crownest.contracts.api.Page;
import dev.crownest.contracts.api.RunCommandRequest;
import dev.crownest.contracts.api.SandboxView;
import dev.crownest.contracts.security.InternalHeaders;
import dev.crownest.kit.caller.Caller;
import dev.crownest.kit.seal.EnvSeal;
import dev.crownest.sandbox.lifecycle.SandboxProperties;
import dev.crownest.sandbox.lifecycle.SandboxViews;
import dev.crownest.sandbox.naming.ResourceIds;
import dev.crownest.sandbox.outcome.OutcomeWaiters;
import dev.crownest.sandbox.web.PageCursor;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code /internal/sandboxes/{id}/commands}: run a command in a running sandbox, read Command records. */
@RestController
@RequestMapping("/internal/sandboxes/{sandboxId}/commands")
class CommandController {
    private static final int MAX_PAGE = 1000;
    private static final Pattern COMMAND_ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");

    private final CommandGateway commands;
    private final SandboxViews sandboxes;
    private final CommandViews views;
    private final OutcomeWaiters waiters;
    private final SandboxProperties properties;
    private final EnvSeal envSeal;

    CommandController(
            CommandGateway commands,
            SandboxViews sandboxes,
            CommandViews views,
            OutcomeWaiters waiters,
            SandboxProperties properties,
            EnvSeal envSeal) {
        this.envSeal = envSeal;
        this.commands = commands;
        this.sandboxes = sandboxes;
        this.views = views;
        this.waiters = waiters;
        this.properties = properties;
    }

    /** wait=true: 200 once finished (202 if it outlives its timeout plus a grace); wait=false: 202 at once. */
    @PostMapping
    ResponseEntity<CommandView> run(
            Caller caller,
            @RequestHeader(value = InternalHeaders.COMMAND_ID, required = false) String commandIdHeader,
            @PathVariable String sandboxId,
            @RequestParam(defaultValue = "true") boolean wait,
            @RequestBody RunCommandRequest body) {
        SandboxView sandbox = sandbox(caller, sandboxId);
        if ("paused".equals(sandbox.status())) {
            throw ApiException.conflict("sandbox_paused", "sandbox " + sandboxId + " is paused; resume it first");
        }
        if (!"running".equals(sandbox.status())) {
            throw ApiException.conflict("sandbox_not_running", "sandbox " + sandboxId + " is " + sandbox.status());
        }
        String commandId = commandIdHeader == null ? ResourceIds.command() : commandIdHeader;
        if (!COMMAND_ID.matcher(commandId).matches()) {
            throw ApiException.badRequest("invalid_command_id", "command id must be 1-128 of [A-Za-z0-9_-]");
        }
        if (views.find(commandId).isPresent()) {
            // Checked here, not left to the event store: its unique-key failure is an opaque 500.
            throw ApiException.conflict("command_exists", "command " + commandId + " already exists");
        }
        long timeoutMs = body.timeoutMsOrDefault();
        RunCommand command = new RunCommand(
                commandId,
                sandboxId,
                caller.tenant(),
                body.cmd(),
                body.cwdOrDefault(),
                // sealed before the event store sees them: events, Kafka and the audit hold no value
                envSeal.seal(body.env()),
                timeoutMs,
                body.stdin(),
                caller.actorOrUnknown(),
                body.collect());
        String finished = OutcomeWaiters.commandFinished(commandId);
        CompletableFuture<Void> outcome = wait ? waiters.register(finished) : null;
        try {
            commands.sendAndWait(command);
            if (outcome != null) {
                waiters.await(outcome, properties.commandWaitGrace().plusMillis(timeoutMs));
            }
        } finally {
            if (outcome != null) {
                waiters.forget(finished);
            }
        }
        CommandView view = views.find(caller.tenant(), sandboxId, commandId).orElseThrow();
        HttpStatus status = "finished".equals(view.status()) ? HttpStatus.OK : HttpStatus.ACCEPTED;
        return ResponseEntity.status(status).body(view);
    }

    @GetMapping
    Page<CommandView> list(
            Caller caller,
            @PathVariable String sandboxId,
            @RequestParam(defaultValue = "100") int limit,
            @RequestParam(required = false) String cursor) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw ApiException.badRequest("invalid_limit", "limit must be between 1 and " + MAX_PAGE);
        }
        PageCursor after = PageCursor.decode(cursor);
        sandbox(caller, sandboxId);
        return views.list(caller.tenant(), sandboxId, after, limit);
    }

    @GetMapping("/{commandId}")
    CommandView get(Caller caller, @PathVariable String sandboxId, @PathVariable String commandId) {
        sandbox(caller, sandboxId);
        return views.find(caller.tenant(), sandboxId, commandId)
                .orElseThrow(() -> ApiException.notFound("command_not_found", "no command " + commandId));
    }

    /**
     * Cancels a running command: 200 with the finished record once the node killed it (within
     * {@code crownest.sandbox.cancel-wait}), else 202 with the running one; 409 {@code command_not_running}
     * when it already finished.
     */
    @PostMapping("/{commandId}/cancel")
    ResponseEntity<CommandView> cancel(Caller caller, @PathVariable String sandboxId, @PathVariable String commandId) {
        sandbox(caller, sandboxId);
        views.find(caller.tenant(), sandboxId, commandId)
                .orElseThrow(() -> ApiException.notFound("command_not_found", "no command " + commandId));
        String finished = OutcomeWaiters.commandFinished(commandId);
        CompletableFuture<Void> outcome = waiters.register(finished);
        try {
            commands.sendAndWait(new CancelCommand(commandId, caller.actorOrUnknown()));
            waiters.await(outcome, properties.cancelWait());
        } finally {
            waiters.forget(finished);
        }
        CommandView view = views.find(caller.tenant(), sandboxId, commandId).orElseThrow();
        return ResponseEntity.status("finished".equals(view.status()) ? HttpStatus.OK : HttpStatus.ACCEPTED)
                .body(view);
    }

    private SandboxView sandbox(Caller caller, String sandboxId) {
        return sandboxes
                .find(caller.tenant(), caller.project(), sandboxId)
                .orElseThrow(() -> ApiException.notFound("sandbox_not_found", "no sandbox " + sandboxId));
    }
}
