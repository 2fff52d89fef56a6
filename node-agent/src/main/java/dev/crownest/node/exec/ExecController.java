package dev.crownest.node.exec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.crownest.contracts.api.ApiException;
import dev.crownest.contracts.node.ExecChunk;
import dev.crownest.contracts.node.ExecFrames;
import dev.crownest.contracts.node.ExecRequest;
import dev.crownest.node.NodeProperties;
import dev.crownest.node.agent.ProcessAgent;
import dev.crownest.node.agent.ProcessAgents;
import dev.crownest.node.sandbox.LocalSandbox;
import dev.crownest.node.sandbox.NodeSandboxes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
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
 * the sandbox, not a {@code runsc exec} of its own (each costs about 35 ms under the ptrace platform).
 * At its timeout, on a cancel request, or when the caller goes away, the agent kills the command's
 * whole process group ({@link RunningCommand}). A plain command line skips the shell
 * ({@link CommandLine}). Background processes of a command that ended by itself live on (a server
 * started with {@code &} is meant to). A slow reader slows its command's pipes down (the agent's
 * window) instead of filling this node's memory.
 */
@RestController
class ExecController {
    private static final ObjectMapper JSON = new ObjectMapper()
            .findAndRegisterModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);
    /** The exit code of a command killed by SIGKILL (its sandbox stopped under it, or the backstop gave up). */
    private static final int KILLED = 137;
    /** The most output one chunk carries when several waiting pieces are joined. */
    private static final int JOINED = 256 * 1024;

    /** The PATH OciBundle gives every sandbox, relative to the root filesystem. */
    private static final List<String> TEMPLATE_PATH =
            List.of("usr/local/sbin", "usr/local/bin", "usr/sbin", "usr/bin", "sbin", "bin");

    private final NodeSandboxes sandboxes;
    private final NodeProperties node;
    private final ProcessAgents agents;
    private final Clock clock;
    private final RunningCommands commands;

    ExecController(
            NodeSandboxes sandboxes, ProcessAgents agents, Clock clock, RunningCommands commands, NodeProperties node) {
        this.sandboxes = sandboxes;
        this.node = node;
        this.agents = agents;
        this.clock = clock;
        this.commands = commands;
    }

    @PostMapping(
            value = "/node/v1/sandboxes/{id}/exec",
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
     */
    @GetMapping(value = "/node/v1/sandboxes/{id}/exec/{commandId}/output", produces = ExecFrames.MEDIA_TYPE)
    ResponseEntity<StreamingResponseBody> watch(
            @PathVariable String id,
            @PathVariable String commandId,
            @RequestParam(defaultValue = "30000") long waitMs) {
        // No check of the sandbox here: the watch waits for a command id its caller just chose, and
        // whether that command may run is the control plane's answer, given after this one.
        OutputWatch watch = new OutputWatch();
        commands.watch(id, commandId, watch);
        long startBy = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.clamp(waitMs, 0, 600_000));
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType(ExecFrames.MEDIA_TYPE))
                .body(out -> {
                    FrameWriter frames = new FrameWriter(out, Long.MAX_VALUE);
                    try {
                        frames.flush();
                        while (!watch.isGone()) {
                            Object piece = watch.next(TimeUnit.SECONDS.toNanos(1));
                            if (piece instanceof OutputWatch.Piece output) {
                                frames.output(output.stream(), output.data());
                            } else if (piece instanceof ExecChunk exit) {
                                frames.exit(exit);
                                return;
                            } else if (!watch.isStarted() && System.nanoTime() > startBy) {
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
        long timeoutMs = request.timeoutMs() > 0 ? request.timeoutMs() : 60_000;
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
        RunningCommand command = new RunningCommand();
        if (!commands.add(id, commandId, command)) {
            throw ApiException.conflict("command_running", "command " + commandId + " is running in sandbox " + id);
        }
        boolean frames = accept != null && accept.contains(ExecFrames.MEDIA_TYPE);
        return ResponseEntity.ok()
                .contentType(frames ? MediaType.parseMediaType(ExecFrames.MEDIA_TYPE) : MediaType.APPLICATION_NDJSON)
                .body(out -> {
                    try {
                        long limit =
                                request.outputLimit() == null ? Long.MAX_VALUE : Math.max(0, request.outputLimit());
                        run(
                                agents.of(sandbox.containerId()),
                                cwd,
                                env,
                                argv,
                                request.stdin(),
                                timeoutMs,
                                command,
                                frames ? new FrameWriter(out, limit) : new LineWriter(out, limit));
                    } finally {
                        commands.remove(id, commandId, command);
                    }
                });
    }

    /** Kills the command's process group; its exec stream ends with an exit chunk that says cancelled. */
    @PostMapping("/node/v1/sandboxes/{id}/exec/{commandId}/cancel")
    ResponseEntity<Map<String, Object>> cancel(@PathVariable String id, @PathVariable String commandId) {
        RunningCommand command = commands.find(id, commandId)
                .orElseThrow(() -> ApiException.notFound(
                        "command_not_found",
                        "no command " + commandId + " is running in sandbox " + id + " on this node"));
        command.cancel();
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of("commandId", commandId, "cancelled", true));
    }

    private void run(
            ProcessAgent agent,
            String cwd,
            Map<String, String> env,
            List<String> argv,
            String stdin,
            long timeoutMs,
            RunningCommand command,
            ChunkWriter out)
            throws IOException {
        // Headers go out now: a command silent for long must not look like a node that does not answer.
        out.flush();
        Instant startedAt = clock.instant();
        Output output = new Output();
        ProcessAgent.Command started =
                agent.run(argv, cwd, env, stdin == null ? null : stdin.getBytes(StandardCharsets.UTF_8), output);
        command.started(started);
        boolean timedOut = false;
        try {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
            int exitCode;
            while (true) {
                Output.Piece piece =
                        output.pieces.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (piece == null && !timedOut) {
                    // the deadline: the whole process group goes, as timeout -s KILL would do
                    timedOut = true;
                    command.killGroup();
                    deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                } else if (piece == null) {
                    // the agent did not answer the kill: the backstop gives up on the command
                    started.abandon();
                    exitCode = KILLED;
                    break;
                } else if (piece.exit()) {
                    exitCode = piece.exitCode();
                    break;
                } else {
                    Output.Piece joined = output.joinWaiting(piece);
                    out.output(joined.stream(), joined.data());
                    command.feedWatches(new OutputWatch.Piece(joined.stream(), joined.data()), deadline);
                    started.ack(joined.data().length);
                }
            }
            boolean cancelled = command.cancelled();
            ExecChunk exit = new ExecChunk(
                    "exit",
                    null,
                    exitCode,
                    !cancelled && timedOut,
                    startedAt,
                    clock.instant(),
                    cancelled ? Boolean.TRUE : null);
            out.exit(exit);
            command.feedWatches(exit, System.nanoTime() + TimeUnit.SECONDS.toNanos(10));
        } catch (InterruptedException e) {
            abandon(started, command, output);
            Thread.currentThread().interrupt();
        } catch (IOException clientGone) {
            // Nobody reads the output any more: the command ends rather than run on unseen.
            abandon(started, command, output);
            throw clientGone;
        } finally {
            command.endWatches();
        }
    }

    private static void abandon(ProcessAgent.Command started, RunningCommand command, Output output) {
        output.abandoned = true;
        command.killGroup();
        started.abandon();
    }

    /**
     * A command's frames from its process agent, waiting for the HTTP writer; never more than the
     * agent's window (it holds the rest back in the command's pipes until the writer acknowledges).
     */
    private static final class Output implements ProcessAgent.Listener {
        /** Output of {@code stream} (stdout, stderr), or the exit ({@code stream} exit, its code). */
        record Piece(String stream, byte[] data, int exitCode) {
            boolean exit() {
                return stream.equals("exit");
            }
        }

        private final LinkedBlockingDeque<Piece> pieces = new LinkedBlockingDeque<>();
        private volatile boolean abandoned;

        @Override
        public void output(String stream, byte[] data) {
            if (!abandoned) {
                pieces.add(new Piece(stream, data, 0));
            }
        }

        @Override
        public void exited(int exitCode) {
            pieces.add(new Piece("exit", null, exitCode));
        }

        @Override
        public void lost() {
            // the sandbox stopped or was paused under the command
            exited(KILLED);
        }

        /**
         * {@code first} and the output of the same stream queued right behind it, as one piece of up to
         * JOINED bytes: fewer, larger chunks for the worker and Kafka, without waiting for more.
         */
        Piece joinWaiting(Piece first) {
            Piece next = pieces.peekFirst();
            if (next == null || !next.stream().equals(first.stream())) {
                return first;
            }
            ByteArrayOutputStream joined = new ByteArrayOutputStream();
            joined.writeBytes(first.data());
            while (next != null
                    && next.stream().equals(first.stream())
                    && joined.size() + next.data().length <= JOINED
                    && pieces.remove(next)) {
                joined.writeBytes(next.data());
                next = pieces.peekFirst();
            }
            return new Piece(first.stream(), joined.toByteArray(), 0);
        }
    }

    private static boolean hasNul(String s) {
        return s != null && s.indexOf('\0') >= 0;
    }

    /**
     * Writes an exec stream, each piece flushed as it comes: NDJSON lines, or {@link ExecFrames} for the
     * worker; of each output stream no more than the request's {@code outputLimit} bytes.
     */
    private abstract static class ChunkWriter {
        final OutputStream out;
        private final long limit;
        private long stdoutSent;
        private long stderrSent;

        ChunkWriter(OutputStream out, long limit) {
            this.out = out;
            this.limit = limit;
        }

        final void output(String stream, byte[] data) throws IOException {
            boolean stderr = "stderr".equals(stream);
            long room = limit - (stderr ? stderrSent : stdoutSent);
            int n = (int) Math.min(room, data.length);
            if (n <= 0) {
                return;
            }
            if (stderr) {
                stderrSent += n;
            } else {
                stdoutSent += n;
            }
            write(stream, n == data.length ? data : Arrays.copyOf(data, n));
        }

        abstract void write(String stream, byte[] data) throws IOException;

        abstract void exit(ExecChunk exit) throws IOException;

        void flush() throws IOException {
            out.flush();
        }
    }

    /** One {@link ExecChunk} per line, output in base64: readable by anything that reads JSON. */
    private static final class LineWriter extends ChunkWriter {
        LineWriter(OutputStream out, long limit) {
            super(out, limit);
        }

        @Override
        void write(String stream, byte[] data) throws IOException {
            line(new ExecChunk(stream, Base64.getEncoder().encodeToString(data), null, null, null, null));
        }

        @Override
        void exit(ExecChunk exit) throws IOException {
            line(exit);
        }

        private void line(ExecChunk chunk) throws IOException {
            out.write(JSON.writeValueAsBytes(chunk));
            out.write('\n');
            out.flush();
        }
    }

    /** Output as its own bytes: nothing to encode here or to decode at the worker. */
    private static final class FrameWriter extends ChunkWriter {
        FrameWriter(OutputStream out, long limit) {
            super(out, limit);
        }

        @Override
        void write(String stream, byte[] data) throws IOException {
            ExecFrames.writeOutput(out, stream, data);
            out.flush();
        }

        @Override
        void exit(ExecChunk exit) throws IOException {
            ExecFrames.writeExit(out, JSON.writeValueAsBytes(exit));
            out.flush();
        }
    }
}
