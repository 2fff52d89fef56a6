package dev.crownest.bench.lifecycle;

import dev.crownest.bench.BareRunsc;
import dev.crownest.bench.NodeAgent;
import dev.crownest.bench.Percentiles;
import dev.crownest.nodeclient.protocol.ExecFrames;
import dev.crownest.nodeclient.protocol.ExecRequest;
import dev.crownest.sdk.CrowNest;
import dev.crownest.sdk.RawResponse;
import dev.crownest.systemtest.CommandEvents;
import dev.crownest.systemtest.SystemUnderTest;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The exec lines of {@code bench lifecycle} (issue 13, item 1): a blocking {@code true} through the
 * public API, through the node agent and through bare {@code runsc exec} into a container of the same
 * template, interleaved round by round on one warm sandbox of the base template (and one bare
 * container beside it), on the same runsc platform; and a streamed run's first byte through the API
 * beside the node's own first byte of the same command on the same sandbox.
 */
public final class WarmExec {
    private static final Duration LIMIT = Duration.ofSeconds(30);
    private static final int WARM_UP_ROUNDS = 40;

    private final Percentiles api = new Percentiles();
    private final Percentiles node = new Percentiles();
    private final Percentiles bare = new Percentiles();
    private final Percentiles apiFirstByte = new Percentiles();
    private final Percentiles nodeFirstByte = new Percentiles();

    /**
     * The exec lines alone, as {@code bench lifecycle} prints them after its own: {@code java ...
     * dev.crownest.bench.lifecycle.WarmExec [ROUNDS]} with bench.sh's class path and properties.
     */
    public static void main(String[] args) throws Exception {
        CrowNest client = SystemUnderTest.client(Path.of(System.getProperty("crownest.env-file", ".crownest/env")));
        Path rootfs = Path.of(
                System.getProperty(
                        "crownest.templates-dir", System.getProperty("user.home") + "/.cache/crownest/templates"),
                "base",
                "rootfs");
        run(
                client,
                URI.create(System.getProperty("crownest.node-agent-url", "http://127.0.0.1:8083")),
                rootfs,
                args.length > 0 ? Integer.parseInt(args[0]) : 25);
    }

    /** Runs {@code rounds} rounds (at least 25) and prints the figures. */
    static void run(CrowNest client, URI nodeUrl, Path rootfs, int rounds) throws Exception {
        WarmExec bench = new WarmExec();
        RawResponse created = client.http().send("POST", "/v1/sandboxes", Map.of("template", "base"));
        if (created.status() != 201 && created.status() != 202) {
            throw new IllegalStateException("create failed: " + created.text());
        }
        String id = created.field("id");
        // a loaded machine may answer the create before the sandbox runs: the exec figures need it warm
        for (int i = 0;
                i < 240
                        && !"running"
                                .equals(client.http()
                                        .send("GET", "/v1/sandboxes/" + id)
                                        .field("status"));
                i++) {
            Thread.sleep(500);
        }
        NodeAgent agent = new NodeAgent(nodeUrl);
        try (BareRunsc runsc = new BareRunsc(rootfs)) {
            runsc.createAndStart("warm-exec", runsc.bundle("warm-exec"));
            // Unmeasured rounds first: every path's JVMs (this client's, the gateway's, the node's) run their
            // request code interpreted until the JIT has seen it; bare runsc has nothing to warm up.
            for (int i = 0; i < WARM_UP_ROUNDS; i++) {
                bench.round(client, agent, runsc, id, false);
            }
            for (int i = 0; i < Math.max(25, rounds); i++) {
                bench.round(client, agent, runsc, id, true);
            }
            runsc.destroy("warm-exec");
        } finally {
            client.http().send("DELETE", "/v1/sandboxes/" + id);
        }
        bench.print(Files.readString(Path.of("/proc/loadavg")).trim());
    }

    private void round(CrowNest client, NodeAgent agent, BareRunsc runsc, String id, boolean count) throws Exception {
        long t0 = System.nanoTime();
        RawResponse ran = client.http().send("POST", "/v1/sandboxes/" + id + "/commands", Map.of("cmd", "true"));
        long t1 = System.nanoTime();
        if (ran.status() != 200 || ran.json().path("exitCode").asInt() != 0) {
            throw new IllegalStateException("exec through the API failed: " + ran.text());
        }
        agent.exec(id, "true");
        long t2 = System.nanoTime();
        runsc.exec("warm-exec", "true");
        long t3 = System.nanoTime();
        AtomicLong first = new AtomicLong();
        long s0 = System.nanoTime();
        CommandEvents.run(client, id, "echo hello", event -> {
            if (event.event().equals("stdout")) {
                first.compareAndSet(0, System.nanoTime());
            }
        });
        long n0 = System.nanoTime();
        long nodeFirst = nodeFirstByte(agent, id);
        if (count) {
            api.addNanos(t1 - t0);
            node.addNanos(t2 - t1);
            bare.addNanos(t3 - t2);
            apiFirstByte.addNanos(first.get() - s0);
            nodeFirstByte.addNanos(nodeFirst - n0);
        }
    }

    /** The nanoTime at which the node's first stdout frame of {@code echo hello} arrived. */
    private static long nodeFirstByte(NodeAgent agent, String id) {
        AtomicLong first = new AtomicLong();
        NodeAgent.CLIENT
                .exec(agent.url(), id, new ExecRequest(null, "echo hello", null, null, 10_000, null, null))
                .doOnNext(frame -> {
                    if (frame.type() == ExecFrames.STDOUT) {
                        first.compareAndSet(0, System.nanoTime());
                    }
                })
                .blockLast(LIMIT);
        return first.get();
    }

    private void print(String load) {
        System.out.printf(
                "exec of a blocking `true`, %d rounds interleaved on one warm base sandbox (load average %s)%n",
                api.size(), load);
        System.out.printf("%-34s %10s %10s%n", "figure (ms)", "p50", "p95");
        line("exec through the API", api);
        line("exec through the node agent", node);
        line("exec through bare runsc exec", bare);
        line("streamed first byte, API", apiFirstByte);
        line("streamed first byte, node agent", nodeFirstByte);
        System.out.printf("API/bare runsc exec: %.2fx (target <= 0.5x, absolute <= 25 ms)%n", api.p(50) / bare.p(50));
        System.out.printf("API/node agent exec: %.2fx%n", api.p(50) / node.p(50));
        System.out.printf(
                "streamed first byte, API/node: %.2fx (target <= 1.2x)%n", apiFirstByte.p(50) / nodeFirstByte.p(50));
    }

    private static void line(String name, Percentiles p) {
        System.out.printf("%-34s %10.1f %10.1f%n", name, p.p(50), p.p(95));
    }

    private WarmExec() {}
}
