package dev.crownest.node.exec;

import dev.crownest.contracts.api.ApiException;
import dev.crownest.contracts.api.RunCommandRequest;
import dev.crownest.contracts.event.CommandFact;
import dev.crownest.node.NodeProperties;
import dev.crownest.node.agent.ProcessAgent;
import dev.crownest.node.agent.ProcessAgents;
import dev.crownest.node.facts.FactOutbox;
import dev.crownest.node.sandbox.LocalSandbox;
import dev.crownest.node.sandbox.NodeSandboxes;
import dev.crownest.nodeclient.protocol.ExecChunk;
import dev.crownest.nodeclient.protocol.ExecFrames;
import dev.crownest.nodeclient.protocol.ExecRequest;
import dev.crownest.nodeclient.protocol.NodePaths;
import dev.crownest.nodeclient.protocol.OutputGap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * Runs a command in a sandbox and streams its output as NDJSON {@link ExecChunk}s as it comes. The
 * command starts through the sandbox's process agent ({@link ProcessAgent}): one fork and exec inside
 * the sandbox, not a {@code runsc exec} of its own (each costs a runsc process, its state files and an
 * RPC to the sentry under the ptrace platform: docs/benchmarks.md).
 * At its timeout, on a cancel request, or when the caller goes away, the agent kills the command's
 * whole process group ({@link RunningCommand}). A plain command line skips the shell
 * ({@link CommandLine}). Background processes of a command that ended by itself live on (a server
 * started with {@code &} is meant to). A slow reader slows its command's pipes down (the agent's
 * window) instead of filling this node's memory. This class is the HTTP side; the run itself is
 * {@link RunLoop}'s, and the wire {@link LineWriter}'s (NDJSON) or {@link FrameWriter}'s.
 */
@RestController
class ExecController {
    /** The PATH OciBundle gives every sandbox, relative to the root filesystem. */
    private static final List<String> TEMPLATE_PATH =
            List.of("usr/local/sbin", "usr/local/bin", "usr/sbin", "usr/bin", "sbin", "bin");

    private final NodeSandboxes sandboxes;
    private final NodeProperties node;
    private final ProcessAgents agents;
    private final RunLoop runLoop;
    private final RunningCommands commands;
    private final FactOutbox outbox;
    private final Clock clock;
    private final int recordCap;

    ExecController(
            NodeSandboxes sandboxes,
            ProcessAgents agents,
            RunLoop runLoop,
            RunningCommands commands,
            NodeProperties node,
            FactOutbox outbox,
            Clock clock,
            @Value("${crownest.node.record-output-cap-bytes:524288}") int recordCap) {
        this.outbox = outbox;
        this.clock = clock;
        this.recordCap = recordCap;
        this.sandboxes = sandboxes;
        this.node = node;
        this.agents = agents;
        this.runLoop = runLoop;
        this.commands = commands;
    }

    @PostMapping(
            value = NodePaths.EXEC,
            produces = {MediaType.APPLICATION_NDJSON_VALUE, ExecFrames.MEDIA_TYPE})
    ResponseEntity<StreamingResponseBody> exec(
            @PathVariable String id,
            @RequestBody ExecRequest request,
            @RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept)
            throws IOException {
        try {
            return start(id, request, accept);
        } catch (ApiException refused) {
            // a watch waiting for this command would otherwise wait for it until its patience ran out
            if (request.commandId() != null) {
                commands.refused(id, request.commandId());
            }
            throw refused;
        }
    }

    /**
     * {@code GET /node/v1/sandboxes/{id}/exec/{commandId}/output}: the output of a command as
     * {@link ExecFrames}, from now until its exit frame, for a second reader beside the one that runs it
     * (the gateway, streaming to a client). The answer's headers go out once the watch is in place, so a
     * caller that waits for them before starting the command misses nothing. A command that has not
     * started within {@code waitMs} (default 30 s, at most 10 min), or that its node refuses, ends the answer without
     * frames; one that ends without an exit (its sandbox stopped) ends it after its last output.
     *
     * <p>With {@code stdoutFrom} and {@code stderrFrom} (byte offsets of each stream) it is a reattach: what
     * the command wrote from there that is still kept ({@link KeptOutput}: a running command, or one that
     * ended in the last minutes), gap frames for what is not, then live output and the exit. A command
     * this node does not keep is 404 {@code command_not_found} at once.
     */
    @GetMapping(value = NodePaths.EXEC_OUTPUT, produces = ExecFrames.MEDIA_TYPE)
    ResponseEntity<StreamingResponseBody> watch(
            @PathVariable String id,
            @PathVariable String commandId,
            @RequestParam(defaultValue = "30000") long waitMs,
            @RequestParam(required = false) Long stdoutFrom,
            @RequestParam(required = false) Long stderrFrom) {
        OutputWatch watch = new OutputWatch();
        List<Object> missed;
        if (stdoutFrom == null && stderrFrom == null) {
            // No check of the sandbox here: the watch waits for a command id its caller just chose, and
            // whether that command may run is the control plane's answer, given after this one.
            commands.watch(id, commandId, watch);
            missed = List.of();
        } else {
            RunningCommand command = commands.findKept(id, commandId)
                    .orElseThrow(() -> ApiException.notFound(
                            "command_not_found", "command " + commandId + " is not kept on this node"));
            missed = command.watchSince(
                    watch,
                    Math.max(0, stdoutFrom == null ? 0 : stdoutFrom),
                    Math.max(0, stderrFrom == null ? 0 : stderrFrom));
        }
        long startBy = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.clamp(waitMs, 0, 600_000));
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType(ExecFrames.MEDIA_TYPE))
                .body(out -> {
                    FrameWriter frames = new FrameWriter(out, Long.MAX_VALUE);
                    try {
                        frames.flush();
                        for (Object item : missed) {
                            if (write(frames, item)) {
                                return;
                            }
                        }
                        while (!watch.isGone()) {
                            Object piece = watch.next(TimeUnit.SECONDS.toNanos(1));
                            if (piece != null && write(frames, piece)) {
                                return;
                            } else if (piece == null && !watch.isStarted() && System.nanoTime() > startBy) {
                                return;
                            }
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } finally {
                        watch.leave();
                        commands.unwatch(id, commandId, watch);
                    }
                });
    }

    /** Writes one item of a watch as its frame; true for the exit, the last. */
    private static boolean write(FrameWriter frames, Object item) throws IOException {
        switch (item) {
            case OutputWatch.Piece output -> frames.output(output.stream(), output.data());
            case KeptOutput.Piece kept -> frames.output(kept.stream(), kept.data());
            case OutputGap gap -> frames.gap(gap);
            case ExecChunk exit -> {
                frames.exit(exit);
                return true;
            }
            default -> throw new IllegalStateException("unknown watch item " + item);
        }
        return false;
    }

    private ResponseEntity<StreamingResponseBody> start(String id, ExecRequest request, String accept)
            throws IOException {
        LocalSandbox sandbox = sandboxes
                .find(id)
                .orElseThrow(() -> ApiException.notFound("sandbox_not_found", "no sandbox " + id + " on this node"));
        if (sandbox.paused()) {
            throw ApiException.conflict("sandbox_paused", "sandbox " + id + " is paused; resume it first");
        }
        if (request.cmd() == null || request.cmd().isBlank()) {
            throw ApiException.badRequest("invalid_command", "cmd is required");
        }
        // The contract's one rule; this field is a primitive, so a request without a timeout reads as 0.
        long timeoutMs = request.timeoutMs() == 0 ? RunCommandRequest.DEFAULT_TIMEOUT_MS : request.timeoutMs();
        Map<String, String> env = new HashMap<>();
        if (sandbox.spec().env() != null) {
            env.putAll(sandbox.spec().env());
        }
        if (request.env() != null) {
            env.putAll(request.env());
        }
        String cwd = request.cwd() == null || request.cwd().isBlank() ? "/workspace" : request.cwd();
        // the process agent's frames end strings with NUL; no command line, path or variable holds one anyway
        if (hasNul(request.cmd())
                || hasNul(cwd)
                || env.entrySet().stream().anyMatch(e -> hasNul(e.getKey() + e.getValue()))) {
            throw ApiException.badRequest("invalid_command", "cmd, cwd and env must not contain NUL characters");
        }
        // A PATH of the caller's own could find another program than the template's: the shell decides then.
        Path rootfs = node.templatesDir().resolve(sandbox.spec().template()).resolve("rootfs");
        List<String> argv = CommandLine.argv(
                request.cmd(),
                program -> !env.containsKey("PATH")
                        && TEMPLATE_PATH.stream()
                                .anyMatch(dir ->
                                        Files.isRegularFile(rootfs.resolve(dir).resolve(program))));
        String commandId = request.commandId() == null || request.commandId().isBlank()
                ? "anonymous-" + UUID.randomUUID()
                : request.commandId();
        CommandFact.Run record = request.record();
        if (record != null
                && (!commandId.equals(record.commandId())
                        || !id.equals(record.sandboxId())
                        || !FactOutbox.validCommandId(commandId))) {
            throw ApiException.badRequest(
                    "invalid_record", "a recorded run names its own command id (of [A-Za-z0-9_-]) and sandbox");
        }
        RunningCommand command = new RunningCommand();
        if (!commands.add(id, commandId, command)) {
            throw ApiException.conflict("command_running", "command " + commandId + " is running in sandbox " + id);
        }
        if (record != null) {
            recordStart(id, record, command);
        }
        boolean frames = accept != null && accept.contains(ExecFrames.MEDIA_TYPE);
        return ResponseEntity.ok()
                .contentType(frames ? MediaType.parseMediaType(ExecFrames.MEDIA_TYPE) : MediaType.APPLICATION_NDJSON)
                .body(out -> {
                    long limit = request.outputLimit() == null ? Long.MAX_VALUE : Math.max(0, request.outputLimit());
                    ChunkWriter wire = frames ? new FrameWriter(out, limit) : new LineWriter(out, limit);
                    RecordedWriter recorded =
                            record == null ? null : new RecordedWriter(wire, recordCap, outbox, record, clock);
                    Throwable failure = null;
                    try {
                        runLoop.run(
                                agents.of(sandbox.containerId()),
                                cwd,
                                env,
                                argv,
                                request.stdin(),
                                timeoutMs,
                                command,
                                recorded == null ? wire : recorded);
                    } catch (IOException | RuntimeException e) {
                        failure = e;
                        throw e;
                    } finally {
                        commands.remove(id, commandId, command);
                        if (recorded != null) {
                            recorded.ensureExited(failure);
                        }
                    }
                });
    }

    /** The run's start, durable in the outbox before it starts; a node that cannot write it runs nothing. */
    private void recordStart(String sandboxId, CommandFact.Run record, RunningCommand command) {
        try {
            outbox.accepted(record);
        } catch (IOException | RuntimeException e) {
            commands.remove(sandboxId, record.commandId(), command);
            throw ApiException.unavailable(
                    "node_unavailable", "the node cannot record the command now; nothing was run");
        }
    }

    /** Kills the command's process group; its exec stream ends with an exit chunk that says cancelled. */
    @PostMapping(NodePaths.EXEC_CANCEL)
    ResponseEntity<Map<String, Object>> cancel(@PathVariable String id, @PathVariable String commandId) {
        RunningCommand command = commands.find(id, commandId)
                .orElseThrow(() -> ApiException.notFound(
                        "command_not_found",
                        "no command " + commandId + " is running in sandbox " + id + " on this node"));
        command.cancel();
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of("commandId", commandId, "cancelled", true));
    }

    private static boolean hasNul(String s) {
        return s != null && s.indexOf('\0') >= 0;
    }
}
