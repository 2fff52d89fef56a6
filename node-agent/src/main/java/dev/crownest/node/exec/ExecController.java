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
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command in a sandbox and streams its output as NDJSON {@link ExecChunk}s as it comes.
 * The command runs under coreutils' {@code timeout -s KILL}, which kills its whole process group
 * inside the sandbox when the time is up. {@code timeout} is started by runsc exec itself, and a
 * plain command line skips the shell ({@link CommandLine}): under gVisor's ptrace platform each exec
 * inside the sandbox costs 10-20 ms, the largest part of a short command's round-trip.
 */
@RestController
class ExecController {
    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules()
            .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .setSerializationInclusion(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL);
    private static final int CHUNK = 32 * 1024;
    private static final ExecChunk END_OF_STREAM = new ExecChunk("eof", null, null, null, null, null);

    private final NodeSandboxes sandboxes;
    private final Runsc runsc;
    private final Clock clock;

    ExecController(NodeSandboxes sandboxes, Runsc runsc, Clock clock) {
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
        String seconds = String.format("%.3f", timeoutMs / 1000.0);
        List<String> wrapped = new ArrayList<>(List.of("timeout", "-s", "KILL", seconds));
        wrapped.addAll(CommandLine.argv(request.cmd()));
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_NDJSON)
                .body(out -> run(sandbox.containerId(), cwd, env, wrapped, request.stdin(), timeoutMs, out));
    }

    private void run(String id, String cwd, Map<String, String> env, List<String> cmd, String stdin, long timeoutMs,
                     OutputStream out) throws IOException {
        Instant startedAt = clock.instant();
        Process process = runsc.exec(id, cwd, env, cmd);
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
            // timeout(1) kills in the sandbox; this is the backstop if runsc itself hangs.
            if (!process.waitFor(timeoutMs + 10_000, TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
            }
            stdoutPump.join();
            stderrPump.join();
            Instant finishedAt = clock.instant();
            int exit = process.exitValue();
            boolean timedOut = exit == 137 && finishedAt.toEpochMilli() - startedAt.toEpochMilli() >= timeoutMs;
            writeLine(out, new ExecChunk("exit", null, exit, timedOut, startedAt, finishedAt));
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } catch (IOException clientGone) {
            process.destroyForcibly();
            throw clientGone;
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
