package dev.crownest.bench.lifecycle;

import dev.crownest.bench.BareRunsc;
import dev.crownest.bench.Percentiles;
import dev.crownest.sdk.CrowNest;
import dev.crownest.sdk.RawResponse;
import dev.crownest.systemtest.CommandEvents;
import dev.crownest.systemtest.SystemUnderTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code ./crownest bench lifecycle [N]}: N sandboxes through the public API (create, one streamed
 * command, one blocking command, kill) interleaved with N bare {@code runsc} runs of the same template
 * on the same machine, so both sides see the same noise. Prints p50/p95 of each figure and the
 * platform/bare ratio of the medians. Then the create lines ({@link CreateLines}): creates spaced and back to
 * back, through the API, at the node agent and bare.
 */
public final class LifecycleBench {

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        CrowNest api = SystemUnderTest.client(Path.of(System.getProperty("crownest.env-file", ".crownest/env")));
        Path rootfs = Path.of(
                System.getProperty(
                        "crownest.templates-dir", System.getProperty("user.home") + "/.cache/crownest/templates"),
                "base",
                "rootfs");
        if (!Files.isDirectory(rootfs)) {
            throw new IllegalStateException("no base template at " + rootfs + "; run ./crownest templates build base");
        }
        Map<String, Percentiles[]> figures = new LinkedHashMap<>();
        for (String name : new String[] {"create-to-ready", "exec round-trip (true)", "create-to-first-output"}) {
            figures.put(name, new Percentiles[] {new Percentiles(), new Percentiles()});
        }
        CreateLines creates;
        try (BareRunsc bare = new BareRunsc(rootfs)) {
            warmUp(api);
            for (int i = 0; i < n; i++) {
                platformRun(api, figures);
                bareRun(bare, "bench" + i, figures);
            }
            creates = new CreateLines(api, bare);
            creates.run(n, 3);
        }
        System.out.printf("lifecycle: %d sandboxes through the API and %d bare runsc runs, interleaved%n", n, n);
        System.out.printf(
                "%-26s %10s %10s %10s %10s %8s%n",
                "figure (ms)", "api p50", "api p95", "runsc p50", "runsc p95", "ratio");
        figures.forEach((name, pair) -> System.out.printf(
                "%-26s %10.1f %10.1f %10.1f %10.1f %7.2fx%n",
                name, pair[0].p(50), pair[0].p(95), pair[1].p(50), pair[1].p(95), pair[0].p(50) / pair[1].p(50)));
        creates.print();
        // exec on one warm sandbox: API, node agent and bare runsc, interleaved (WarmExec)
        WarmExec.run(
                api, SystemUnderTest.internalUrl("node-agent"), rootfs, Integer.getInteger("crownest.exec-rounds", 25));
    }

    private static void warmUp(CrowNest api) {
        String id = api.http()
                .send("POST", "/v1/sandboxes", Map.of("template", "base"))
                .field("id");
        api.http().send("POST", "/v1/sandboxes/" + id + "/commands", Map.of("cmd", "true"));
        api.http().send("DELETE", "/v1/sandboxes/" + id);
    }

    private static void platformRun(CrowNest api, Map<String, Percentiles[]> figures) {
        long t0 = System.nanoTime();
        RawResponse created = api.http().send("POST", "/v1/sandboxes", Map.of("template", "base"));
        long ready = System.nanoTime();
        if (created.status() != 201 || !"running".equals(created.field("status"))) {
            throw new IllegalStateException("create failed: " + created.text());
        }
        String id = created.field("id");
        AtomicLong firstOutput = new AtomicLong();
        CommandEvents.run(api, id, "echo hello", e -> {
            if (e.event().equals("stdout")) {
                firstOutput.compareAndSet(0, System.nanoTime());
            }
        });
        long e0 = System.nanoTime();
        RawResponse ran = api.http().send("POST", "/v1/sandboxes/" + id + "/commands", Map.of("cmd", "true"));
        long e1 = System.nanoTime();
        if (ran.status() != 200 || ran.json().path("exitCode").asInt() != 0) {
            throw new IllegalStateException("exec failed: " + ran.text());
        }
        api.http().send("DELETE", "/v1/sandboxes/" + id);
        figures.get("create-to-ready")[0].addNanos(ready - t0);
        figures.get("exec round-trip (true)")[0].addNanos(e1 - e0);
        figures.get("create-to-first-output")[0].addNanos(firstOutput.get() - t0);
    }

    private static void bareRun(BareRunsc bare, String id, Map<String, Percentiles[]> figures) throws Exception {
        Path bundle = bare.bundle(id);
        long t0 = System.nanoTime();
        bare.createAndStart(id, bundle);
        long ready = System.nanoTime();
        long firstOutput = bare.execUntilFirstByte(id, "echo hello");
        long e0 = System.nanoTime();
        bare.exec(id, "true");
        long e1 = System.nanoTime();
        bare.destroy(id);
        figures.get("create-to-ready")[1].addNanos(ready - t0);
        figures.get("exec round-trip (true)")[1].addNanos(e1 - e0);
        figures.get("create-to-first-output")[1].addNanos(firstOutput - t0);
    }

    private LifecycleBench() {}
}
