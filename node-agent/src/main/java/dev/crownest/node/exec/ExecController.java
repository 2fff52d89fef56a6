package dev.crownest.node.exec;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crownest.contracts.node.ExecChunk;
import dev.crownest.contracts.node.ExecRequest;
import dev.crownest.kit.ApiException;
import dev.crownest.node.NodeProperties;
import dev.crownest.node.runtime.SandboxRuntime;
import dev.crownest.node.sandbox.LocalSandbox;
import dev.crownest.node.sandbox.NodeSandboxes;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs a command in a sandbox and streams its output as NDJSON {@link ExecChunk}s as it comes. At
 * its timeout, on a cancel request, or when the caller goes away, the node kills the command's whole
 * process group inside the sandbox ({@link RunningCommand}). No {@code timeout(1)} wraps the command
 * and a plain command line skips the shell ({@link CommandLine}): under gVisor's ptrace platform each
 * exec inside the sandbox costs 10-30 ms, the largest part of a short command's round-trip.
 * Background processes of a command that ended by itself live on (a server started with {@code &} is
 * meant to). Between the output pumps and the HTTP writer sits a bounded queue: a slow reader slows
 * the command's pipes down instead of filling this node's memory.
 */
@RestController
class ExecController {
    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules()
            .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .setSerializationInclusion(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL);
    private static final int CHUNK = 32 * 1024;
    private static final ExecChunk END_OF_STREAM = new ExecChunk("eof", null, null, null, null, null);

    /** The PATH OciBundle gives every sandbox, relative to the root filesystem. */
    private static final List<String> TEMPLATE_PATH = List.of("usr/local/sbin", "usr/local/bin", "usr/sbin", "usr/bin", "sbin", "bin");

    private final NodeSandboxes sandboxes;
    private final NodeProperties node;
    private final SandboxRuntime runsc;
    private final Clock clock;
    private final RunningCommands commands;
    private final Path pidFiles;
    private final int bufferedChunks;

    ExecController(NodeSandboxes sandboxes, SandboxRuntime runsc, Clock clock, RunningCommands commands, NodeProperties node,
                   @Value("${crownest.node.exec.buffered-chunks:16}") int bufferedChunks) throws IOException {
        this.sandboxes = sandboxes;
        this.node = node;
        this.runsc = runsc;
        this.clock = clock;
        this.commands = commands;
        this.pidFiles = Files.createDirectories(node.stateDir().resolve("exec"));
        this.bufferedChunks = Math.max(2, bufferedChunks);
    }

    @PostMapping(value = "/node/v1/sandboxes/{id}/exec", produces = MediaType.APPLICATION_NDJSON_VALUE)
    ResponseEntity<StreamingResponseBody> exec(@PathVariable String id, @RequestBody ExecRequest request) throws IOException {
        LocalSandbox sandbox = sandboxes.find(id)
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
        // A PATH of the caller's own could find another program than the template's: the shell decides then.
        Path rootfs = node.templatesDir().resolve(sandbox.spec().template()).resolve("rootfs");
        List<String> argv = CommandLine.argv(request.cmd(), program -> !env.containsKey("PATH")
                && TEMPLATE_PATH.stream().anyMatch(dir -> Files.isRegularFile(rootfs.resolve(dir).resolve(program))));
        String commandId = request.commandId() == null || request.commandId().isBlank()
                ? "anonymous-" + UUID.randomUUID() : request.commandId();
        RunningCommand command = new RunningCommand(sandbox.containerId(), pidFiles.resolve(UUID.randomUUID() + ".pid"));
        if (!commands.add(id, commandId, command)) {
            throw ApiException.conflict("command_running", "command " + commandId + " is running in sandbox " + id);
        }
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_NDJSON)
                .body(out -> {
                    try {
                        run(sandbox.containerId(), cwd, env, argv, request.stdin(), timeoutMs, command, out);
                    } finally {
                        commands.remove(id, commandId, command);
                        Files.deleteIfExists(command.pidFile());
                    }
                });
    }

    /** Kills the command's process group; its exec stream ends with an exit chunk that says cancelled. */
    @PostMapping("/node/v1/sandboxes/{id}/exec/{commandId}/cancel")
    ResponseEntity<Map<String, Object>> cancel(@PathVariable String id, @PathVariable String commandId) {
        RunningCommand command = commands.find(id, commandId)
                .orElseThrow(() -> ApiException.notFound("command_not_found",
                        "no command " + commandId + " is running in sandbox " + id + " on this node"));
        command.cancel(runsc);
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of("commandId", commandId, "cancelled", true));
    }

    private void run(String containerId, String cwd, Map<String, String> env, List<String> argv, String stdin, long timeoutMs,
                     RunningCommand command, OutputStream out) throws IOException {
        // Headers go out now: a command silent for long must not look like a node that does not answer.
        out.flush();
        Instant startedAt = clock.instant();
        Process process = runsc.exec(containerId, cwd, env, argv, command.pidFile());
        AtomicBoolean timedOut = new AtomicBoolean();
        Thread deadline = Thread.ofVirtual().start(() -> killAtDeadline(process, command, timeoutMs, timedOut));
        BlockingQueue<ExecChunk> chunks = new ArrayBlockingQueue<>(bufferedChunks);
        Pumps pumps = new Pumps(chunks);
        Thread stdoutPump = Thread.ofVirtual().start(() -> pumps.pump(process.getInputStream(), "stdout"));
        Thread stderrPump = Thread.ofVirtual().start(() -> pumps.pump(process.getErrorStream(), "stderr"));
        Thread.ofVirtual().start(() -> writeStdin(process, stdin));
        try {
            int ended = 0;
            while (ended < 2) {
                ExecChunk chunk = chunks.take();
                if (chunk == END_OF_STREAM) {
                    ended++;
                    continue;
                }
                writeLine(out, chunk);
            }
            // The deadline kills in the sandbox; this is the backstop if runsc itself hangs.
            if (!process.waitFor(timeoutMs + 10_000, TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
            }
            stdoutPump.join();
            stderrPump.join();
            deadline.interrupt();
            Instant finishedAt = clock.instant();
            boolean cancelled = command.cancelled();
            writeLine(out, new ExecChunk("exit", null, process.exitValue(), !cancelled && timedOut.get(), startedAt, finishedAt,
                    cancelled ? Boolean.TRUE : null));
        } catch (InterruptedException e) {
            abandon(process, command, pumps);
            Thread.currentThread().interrupt();
        } catch (IOException clientGone) {
            // Nobody reads the output any more: the command ends rather than run on unseen.
            abandon(process, command, pumps);
            throw clientGone;
        } finally {
            deadline.interrupt();
        }
    }

    /**
     * At the deadline, kills the command's whole process group inside the sandbox (the command leads
     * it: runsc exec makes it a session leader), as {@code timeout -s KILL} would, without paying for an
     * extra exec on every command. A process the command detached with setsid lives on.
     */
    private void killAtDeadline(Process process, RunningCommand command, long timeoutMs, AtomicBoolean timedOut) {
        try {
            if (process.waitFor(timeoutMs, TimeUnit.MILLISECONDS)) {
                return;
            }
            timedOut.set(true);
            command.killGroup(runsc);
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException finishedFirst) {
            // the command ended before its deadline
        }
    }

    private void abandon(Process process, RunningCommand command, Pumps pumps) {
        pumps.abandoned = true;
        command.killGroup(runsc);
        process.destroyForcibly();
    }

    /** Moves output from the process's pipes into the bounded queue, waiting while it is full. */
    private static final class Pumps {
        private final BlockingQueue<ExecChunk> chunks;
        private volatile boolean abandoned;

        Pumps(BlockingQueue<ExecChunk> chunks) {
            this.chunks = chunks;
        }

        void pump(InputStream in, String stream) {
            byte[] buffer = new byte[CHUNK];
            try (in) {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    if (!put(new ExecChunk(stream, Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buffer, n)),
                            null, null, null, null))) {
                        return;
                    }
                }
            } catch (IOException ignored) {
                // the process ended or was killed; what was read was sent
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            try {
                put(END_OF_STREAM);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** False once the writer gave up: nobody would take the chunk. */
        private boolean put(ExecChunk chunk) throws InterruptedException {
            while (!chunks.offer(chunk, 200, TimeUnit.MILLISECONDS)) {
                if (abandoned) {
                    return false;
                }
            }
            return true;
        }
    }

    private static void writeStdin(Process process, String stdin) {
        try (OutputStream in = process.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException ignored) {
            // the command did not read its stdin
        }
    }

    private static void writeLine(OutputStream out, ExecChunk chunk) throws IOException {
        out.write(JSON.writeValueAsBytes(chunk));
        out.write('\n');
        out.flush();
    }
}
