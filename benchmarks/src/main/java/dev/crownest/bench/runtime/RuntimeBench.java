package dev.crownest.bench.runtime;

import static dev.crownest.bench.NodeAgent.newSandboxId;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crownest.bench.BareRunsc;
import dev.crownest.bench.Figures;
import dev.crownest.bench.NodeAgent;
import dev.crownest.sdk.CrowNest;
import dev.crownest.sdk.RawResponse;
import dev.crownest.systemtest.SystemUnderTest;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code ./crownest bench runtime [N] [IDLE]}: the gVisor node runtime beside bare {@code runsc}, in
 * one run, interleaved so both sides see the same noise. Figures, each p50/p95 over N rounds:
 * create to ready from the warm pool and cold, at the node agent's HTTP API and through the public
 * API; exec round-trip of {@code true} through the node agent and by bare {@code runsc exec}; pause
 * and resume of an idle python sandbox, paused for 2 s each time (node agent and bare checkpoint/restore;
 * the node answers a pause once the checkpoint is written and deletes the stopped container in the
 * background, so bare runsc's delete is printed on its own line). Then IDLE idle
 * sandboxes are started on the node agent, their memory read (PSS of their runsc processes), and
 * all of them removed. Between the two, gVisor's platforms side by side ({@link PlatformComparison}).
 * The node's request paths are warmed up, unmeasured, before the rounds ({@link #warmUp}).
 */
public final class RuntimeBench {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** How long each pause lasts before its resume, on both sides. */
    private static final long PAUSED_FOR_MS = 2000;
    /** Unmeasured calls of each kind before the rounds (see {@link #warmUp}). */
    private static final int WARM_UP_CALLS = 100;

    private static final int WARM_UP_CREATES = 10;
    /** Quiet time before the exec figures of a round. */
    private static final long SETTLE_MS = 2500;

    private final NodeAgent node;
    private final Path nodeState;
    private final CrowNest api;
    private final Figures figures = new Figures(40);

    private RuntimeBench(NodeAgent node, Path nodeState, CrowNest api) {
        this.node = node;
        this.nodeState = nodeState;
        this.api = api;
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int idle = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        Path templates = Path.of(System.getProperty(
                "crownest.templates-dir", System.getProperty("user.home") + "/.cache/crownest/templates"));
        for (String t : List.of("base", "python")) {
            if (!Files.isDirectory(templates.resolve(t).resolve("rootfs"))) {
                throw new IllegalStateException(
                        "no " + t + " template at " + templates + "; run ./crownest templates build " + t);
            }
        }
        RuntimeBench bench = new RuntimeBench(
                new NodeAgent(URI.create(System.getProperty("crownest.node-agent-url", "http://127.0.0.1:8083"))),
                Path.of(System.getProperty("crownest.node-state-dir", ".crownest/node")),
                SystemUnderTest.client(Path.of(System.getProperty("crownest.env-file", ".crownest/env"))));
        try (BareRunsc bareBase = new BareRunsc(templates.resolve("base/rootfs"));
                BareRunsc barePython = new BareRunsc(templates.resolve("python/rootfs"))) {
            bench.rounds(n, bareBase, barePython);
        }
        bench.print(n);
        new CustomTemplateBuild(bench.api).run();
        new PlatformComparison().run(Math.max(5, n / 2), templates.resolve("base/rootfs"));
        bench.idleSandboxes(idle);
    }

    private void rounds(int n, BareRunsc bareBase, BareRunsc barePython) throws Exception {
        // Warm-up: the JVMs' request paths and the page cache, not what is measured.
        String warm = nodeCreate("base", 1);
        node.exec(warm, "true");
        node.delete(warm);
        String python = nodeCreate("python", 1);
        String pyBareId = "benchpy";
        Path pyBundle = barePython.bundle(pyBareId);
        barePython.createAndStart(pyBareId, pyBundle);
        String bareExecId = "benchexec";
        bareBase.createAndStart(bareExecId, bareBase.bundle(bareExecId));
        String execTarget = nodeCreate("base", 2);
        try {
            warmUp(execTarget);
            for (int i = 0; i < n; i++) {
                awaitPoolReady(2);
                // Exec first, once the last round's background work (stops of deleted sandboxes, whose
                // runsc delete polls until the init reaps; pool refills) is over; the two sides alternate.
                Thread.sleep(SETTLE_MS);
                for (int side = 0; side < 2; side++) {
                    if ((i + side) % 2 == 0) {
                        long e0 = System.nanoTime();
                        node.exec(execTarget, "true");
                        figures.since("node agent: exec true", e0);
                    } else {
                        long e0 = System.nanoTime();
                        bareBase.exec(bareExecId, "true");
                        figures.since("bare runsc: exec true", e0);
                    }
                }
                String id = newSandboxId();
                long t0 = System.nanoTime();
                node.create(id, "base", 1);
                figures.since("node agent: create, warm pool", t0);
                if (!containerOf(id).startsWith("pool_")) {
                    throw new IllegalStateException("the warm create of " + id + " was not claimed from the pool");
                }
                node.delete(id);

                id = newSandboxId();
                t0 = System.nanoTime();
                node.create(id, "base", 2); // cpu 2: not the pool's shape, so a cold start
                figures.since("node agent: create, cold", t0);
                node.delete(id);

                String bareId = "bench" + i;
                Path bundle = bareBase.bundle(bareId);
                t0 = System.nanoTime();
                bareBase.createAndStart(bareId, bundle);
                figures.since("bare runsc: create+start", t0);
                bareBase.destroy(bareId);

                awaitPoolReady(2);
                t0 = System.nanoTime();
                RawResponse created = api.http().send("POST", "/v1/sandboxes", Map.of("template", "base"));
                figures.since("public API: create, warm pool", t0);
                expectRunning(created);
                api.http().send("DELETE", "/v1/sandboxes/" + created.field("id"));

                t0 = System.nanoTime();
                created = api.http().send("POST", "/v1/sandboxes", Map.of("template", "base", "cpu", 2));
                figures.since("public API: create, cold", t0);
                expectRunning(created);
                api.http().send("DELETE", "/v1/sandboxes/" + created.field("id"));

                t0 = System.nanoTime();
                node.pause(python);
                figures.since("node agent: pause (python, idle)", t0);
                // A fork of it while it is paused: its image linked, its disk copied, restored as a new sandbox.
                String fork = newSandboxId();
                t0 = System.nanoTime();
                node.fork(python, fork);
                figures.since("node agent: fork (python, idle)", t0);
                node.delete(fork);
                // Paused for a while, as a paused sandbox is: the stopped container's deletion is done by then.
                Thread.sleep(PAUSED_FOR_MS);
                t0 = System.nanoTime();
                node.resume(python);
                figures.since("node agent: resume (python, idle)", t0);

                Path image = barePython.dir().resolve("image" + i);
                t0 = System.nanoTime();
                barePython.checkpoint(pyBareId, image);
                figures.since("bare runsc: checkpoint (python)", t0);
                t0 = System.nanoTime();
                barePython.delete(pyBareId);
                figures.since("bare runsc: delete after checkpoint", t0);
                Thread.sleep(PAUSED_FOR_MS);
                t0 = System.nanoTime();
                barePython.restore(pyBareId, pyBundle, image);
                figures.since("bare runsc: restore (python)", t0);
            }
        } finally {
            node.delete(python);
            node.delete(execTarget);
            barePython.destroy(pyBareId);
            bareBase.destroy(bareExecId);
        }
    }

    /**
     * Runs the measured node paths before the rounds, unmeasured, so that the figures are the node's
     * steady work rather than the first calls of two fresh JVMs (this client's and the node agent's
     * request paths, interpreted until the JIT has seen them). Bare runsc has no such warm-up: each of
     * its calls is a new process anyway.
     */
    private void warmUp(String execTarget) throws Exception {
        for (int i = 0; i < WARM_UP_CALLS; i++) {
            node.poolReady("base");
            node.exec(execTarget, "true");
        }
        for (int i = 0; i < WARM_UP_CREATES; i++) {
            awaitPoolReady(2);
            String id = nodeCreate("base", 1);
            node.delete(id);
        }
    }

    private void print(int n) {
        System.out.printf("runtime: %d rounds, node agent %s, interleaved with bare runsc%n", n, node.url());
        figures.printTable();
        figures.printRatio(
                "ratio exec node agent / bare",
                figures.p50("node agent: exec true") / figures.p50("bare runsc: exec true"));
        figures.printRatio(
                "ratio cold create node agent / bare",
                figures.p50("node agent: create, cold") / figures.p50("bare runsc: create+start"));
        figures.printRatio(
                "ratio pause+resume node / bare",
                (figures.p50("node agent: pause (python, idle)") + figures.p50("node agent: resume (python, idle)"))
                        / (figures.p50("bare runsc: checkpoint (python)")
                                + figures.p50("bare runsc: restore (python)")));
        System.out.printf("targets: warm create at the node p50 <= 15 ms, exec ratio <= 0.8x, fork p50 <= 400 ms,"
                + " cold create p50 <= 300 ms, pause and resume p50 <= 1000 ms%n");
    }

    /** Starts up to {@code target} idle sandboxes on the node agent, reads their memory, removes them all. */
    private void idleSandboxes(int target) throws Exception {
        long before = runscPssKb();
        List<String> ids = new ArrayList<>();
        String stopped = null;
        long t0 = System.nanoTime();
        try {
            while (ids.size() < target) {
                String id = newSandboxId();
                try {
                    node.create(id, "base", 2);
                } catch (RuntimeException e) { // the node refused (out of room) or failed
                    stopped = e.getMessage();
                    break;
                }
                ids.add(id);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            Thread.sleep(2000); // let the sandboxes settle to idle
            long after = runscPssKb();
            System.out.printf(
                    "idle sandboxes held: %d of %d in %.1f s%s%n",
                    ids.size(), target, seconds, stopped == null ? "" : " (stopped: " + stopped + ")");
            if (!ids.isEmpty()) {
                System.out.printf(
                        "memory per idle sandbox (PSS of its runsc processes): %.1f MB (%d MB for %d)%n",
                        (after - before) / 1024.0 / ids.size(), (after - before) / 1024, ids.size());
            }
            System.out.printf("MemAvailable with them running: %d MB%n", memAvailableKb() / 1024);
        } finally {
            for (String id : ids) {
                node.delete(id);
            }
            System.out.printf("removed %d idle sandboxes%n", ids.size());
        }
    }

    /** PSS of every runsc process of this node (its --root is under the node's state dir). */
    private long runscPssKb() throws IOException {
        String root = "--root=" + nodeState.resolve("runsc");
        String rootSpaced = nodeState.resolve("runsc").toString();
        long total = 0;
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path proc : (Iterable<Path>) procs::iterator) {
                if (!proc.getFileName().toString().chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    String cmdline = new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8);
                    if (!cmdline.startsWith("runsc") || !(cmdline.contains(root) || cmdline.contains(rootSpaced))) {
                        continue;
                    }
                    for (String line : Files.readAllLines(proc.resolve("smaps_rollup"))) {
                        if (line.startsWith("Pss:")) {
                            total += Long.parseLong(line.replaceAll("[^0-9]", ""));
                        }
                    }
                } catch (IOException gone) {
                    // exited while we looked
                }
            }
        }
        return total;
    }

    private static long memAvailableKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
            if (line.startsWith("MemAvailable:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    /** Waits until the node's warm pool of base holds {@code size} started sandboxes. */
    private void awaitPoolReady(int size) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            if (node.poolReady("base") >= size) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("the warm pool did not refill to " + size + " in 20 s");
    }

    private String containerOf(String id) throws IOException {
        JsonNode record = JSON.readTree(nodeState
                .resolve("sandboxes")
                .resolve(id)
                .resolve("sandbox.json")
                .toFile());
        return record.path("containerId").asText(id);
    }

    private static void expectRunning(RawResponse created) {
        if (created.status() != 201 || !"running".equals(created.field("status"))) {
            throw new IllegalStateException("create failed: " + created.text());
        }
    }

    /** Creates a sandbox on the node agent and answers its id. */
    private String nodeCreate(String template, int cpu) throws Exception {
        String id = newSandboxId();
        node.create(id, template, cpu);
        return id;
    }
}
