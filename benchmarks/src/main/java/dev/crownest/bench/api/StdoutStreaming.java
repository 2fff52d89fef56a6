package dev.crownest.bench.api;

import static dev.crownest.bench.api.Medians.median;
import static dev.crownest.bench.api.Medians.runs;

import dev.crownest.bench.NodeAgent;
import dev.crownest.nodeclient.protocol.ExecFrames;
import dev.crownest.nodeclient.protocol.ExecRequest;
import dev.crownest.sdk.CrowNest;
import java.io.OutputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Stdout streamed end to end (node agent, gateway, SSE) in MB/s, beside the node agent's exec stream
 * read directly and bare {@code runsc exec} of the same command in the same sandbox.
 */
final class StdoutStreaming {
    private StdoutStreaming() {}

    /**
     * Two producers of the same bytes, because the producer decides what gVisor can give at all: under
     * the ptrace platform every system call is a trip through the sentry, and {@code tr} writes 8 KiB
     * at a time while {@code cat} of a file in the sandbox writes 128 KiB at a time, many times faster
     * bare (docs/benchmarks.md). The file is written once, before any timing.
     */
    static void measure(CrowNest api, String id, int megabytes, int rounds) throws Exception {
        long bytes = megabytes * 1_000_000L;
        String file = "/tmp/crownest-bench-stream.txt";
        StdoutEvents.writeFile(api, id, file, bytes);
        measure(
                api,
                id,
                bytes,
                rounds,
                "8 KiB writes: head -c " + megabytes + "M /dev/zero | tr '\\0' x",
                "head -c " + bytes + " /dev/zero | tr '\\0' 'x'");
        measure(api, id, bytes, rounds, "128 KiB writes: cat of a " + megabytes + " MB file", "cat " + file);
    }

    private static void measure(CrowNest api, String id, long bytes, int rounds, String title, String cmd)
            throws Exception {
        String runscRoot = System.getProperty("crownest.runsc-root");
        String nodeAgentUrl = System.getProperty("crownest.node-agent-url");
        List<Double> platform = new ArrayList<>();
        List<Double> node = new ArrayList<>();
        List<Double> bare = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            long t0 = System.nanoTime();
            long received = streamedStdout(api, id, cmd);
            double streamed = (System.nanoTime() - t0) / 1e9;
            if (received != bytes) {
                throw new IllegalStateException(
                        "the stream gave " + received + " characters of stdout, expected " + bytes);
            }
            platform.add(bytes / 1e6 / streamed);
            if (nodeAgentUrl != null) {
                node.add(bytes / 1e6 / nodeExec(nodeAgentUrl, id, cmd, bytes));
            }
            if (runscRoot != null) {
                bare.add(bytes / 1e6 / bareExec(id, runscRoot, cmd, bytes));
            }
        }
        System.out.printf(
                "stdout streamed end to end, %s (%,d bytes of 'x'; median of %d interleaved rounds)%n",
                title, bytes, rounds);
        double p = median(platform);
        System.out.printf("  through the platform (SSE):        %,8.1f MB/s   runs %s%n", p, runs(platform));
        if (!node.isEmpty()) {
            System.out.printf(
                    "  node agent's exec stream alone:    %,8.1f MB/s   runs %s   platform/node %.2fx%n",
                    median(node), runs(node), p / median(node));
        }
        if (!bare.isEmpty()) {
            System.out.printf(
                    "  bare runsc exec (baseline):        %,8.1f MB/s   runs %s   platform/bare %.2fx%n",
                    median(bare), runs(bare), p / median(bare));
        }
        System.out.println();
    }

    /** Runs {@code cmd} streamed (SSE) and counts the characters of its stdout events ({@link StdoutEvents}). */
    private static long streamedStdout(CrowNest api, String id, String cmd) throws Exception {
        return StdoutEvents.read(StdoutEvents.run(api, id, cmd), read -> {}).stdout();
    }

    /** Seconds for the node agent's own exec stream of {@code cmd}, in the frames the worker reads (through its client), counted here. */
    private static double nodeExec(String nodeAgentUrl, String sandboxId, String cmd, long expected) {
        ExecRequest request = new ExecRequest("bench-" + UUID.randomUUID(), cmd, null, null, 600_000, null, null);
        long t0 = System.nanoTime();
        long n = NodeAgent.CLIENT
                .exec(URI.create(nodeAgentUrl), sandboxId, request)
                .filter(frame -> frame.type() == ExecFrames.STDOUT)
                .reduce(0L, (sum, frame) -> sum + frame.payload().length)
                .block();
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (n != expected) {
            throw new IllegalStateException("node agent exec gave " + n + " bytes, expected " + expected);
        }
        return seconds;
    }

    /** Seconds for {@code runsc exec} of the same command in the same sandbox, its stdout read by this process. */
    private static double bareExec(String container, String runscRoot, String cmd, long expected) throws Exception {
        Process p = new ProcessBuilder(
                        "runsc",
                        "--root",
                        runscRoot,
                        "--platform=ptrace",
                        "--network=none",
                        "exec",
                        container,
                        "/bin/sh",
                        "-c",
                        cmd)
                .redirectErrorStream(false)
                .start();
        long t0 = System.nanoTime();
        long n = p.getInputStream().transferTo(OutputStream.nullOutputStream());
        p.waitFor();
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (n != expected) {
            throw new IllegalStateException("bare exec gave " + n + " bytes, expected " + expected);
        }
        return seconds;
    }
}
