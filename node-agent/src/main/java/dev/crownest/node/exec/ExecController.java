package dev.crownest.node.exec;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crownest.contracts.node.ExecChunk;
import dev.crownest.contracts.node.ExecRequest;
import dev.crownest.kit.ApiException;
import dev.crownest.node.runsc.Runsc;
import dev.crownest.node.sandbox.LocalSandbox;
import dev.crownest.node.sandbox.NodeSandboxes;
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
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs a command in a sandbox and streams its output as NDJSON {@link ExecChunk}s as it comes. At
 * its timeout the node kills the command's process group inside the sandbox. A plain command line
 * skips the shell ({@link CommandLine}), and no {@code timeout(1)} wraps it: under gVisor's ptrace
 * platform each exec inside the sandbox costs 10-30 ms, the largest part of a short command's round-trip.
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
    private final dev.crownest.node.NodeProperties node;
    private final Runsc runsc;
    private final Clock clock;

    ExecController(NodeSandboxes sandboxes, Runsc runsc, Clock clock, dev.crownest.node.NodeProperties node) {
        this.node = node;
        this.sandboxes = sandboxes;
        this.runsc = runsc;
        this.clock = clock;
    }

    @PostMapping(value = "/node/v1/sandboxes/{id}/exec", produces = MediaType.APPLICATION_NDJSON_VALUE)
    ResponseEntity<StreamingResponseBody> exec(@PathVariable String id, @RequestBody ExecRequest request) {
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
        List<String> argv = CommandLine.argv(request.cmd(),
                program -> !env.containsKey("PATH") && TEMPLATE_PATH.stream().anyMatch(dir -> Files.isRegularFile(rootfs.resolve(dir).resolve(program))));
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_NDJSON)
                .body(out -> run(sandbox.containerId(), cwd, env, argv, request.stdin(), timeoutMs, out));
    }

    private void run(String id, String cwd, Map<String, String> env, List<String> cmd, String stdin, long timeoutMs,
                     OutputStream out) throws IOException {
        Instant startedAt = clock.instant();
        Path pidFile = Files.createTempFile("crownest-exec-", ".pid");
        Process process;
        try {
            process = runsc.exec(id, cwd, env, cmd, pidFile);
        } catch (IOException e) {
            Files.deleteIfExists(pidFile);
            throw e;
        }
        AtomicBoolean timedOut = new AtomicBoolean();
        Thread deadline = Thread.ofVirtual().start(() -> killAtDeadline(id, process, pidFile, timeoutMs, timedOut));
        BlockingQueue<ExecChunk> chunks = new LinkedBlockingQueue<>();
        Thread stdoutPump = Thread.ofVirtual().start(() -> pump(process.getInputStream(), "stdout", chunks));
        Thread stderrPump = Thread.ofVirtual().start(() -> pump(process.getErrorStream(), "stderr", chunks));
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
            writeLine(out, new ExecChunk("exit", null, process.exitValue(), timedOut.get(), startedAt, finishedAt));
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } catch (IOException clientGone) {
            process.destroyForcibly();
            throw clientGone;
        } finally {
            deadline.interrupt();
            Files.deleteIfExists(pidFile);
        }
    }

    /**
     * At the deadline, kills the command's whole process group inside the sandbox (the command leads
     * it: runsc exec makes it a session leader), as {@code timeout -s KILL} would, without paying
     * for an extra exec on every command. A process the command detached with setsid lives on.
     */
    private void killAtDeadline(String id, Process process, Path pidFile, long timeoutMs, AtomicBoolean timedOut) {
        try {
            if (process.waitFor(timeoutMs, TimeUnit.MILLISECONDS)) {
                return;
            }
            timedOut.set(true);
            String pid = Files.exists(pidFile) ? Files.readString(pidFile).strip() : "";
            if (pid.matches("[0-9]+")) {
                Process kill = runsc.exec(id, "/", Map.of(), List.of("kill", "-KILL", "--", "-" + pid), null);
                kill.getInputStream().transferTo(OutputStream.nullOutputStream());
                kill.waitFor(10, TimeUnit.SECONDS);
            }
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException finishedFirst) {
            // the command ended before its deadline
        } catch (IOException e) {
            process.destroyForcibly();
        }
    }

    private static void pump(InputStream in, String stream, BlockingQueue<ExecChunk> chunks) {
        byte[] buffer = new byte[CHUNK];
        try (in) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                chunks.add(new ExecChunk(stream, Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buffer, n)),
                        null, null, null, null));
            }
        } catch (IOException ignored) {
            // the process ended or was killed; what was read was sent
        } finally {
            chunks.add(END_OF_STREAM);
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
