package dev.crownest.bench.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crownest.bench.BareRunsc;
import dev.crownest.bench.NodeAgent;
import dev.crownest.bench.Percentiles;
import dev.crownest.nodeclient.protocol.TemplatePool;
import dev.crownest.sdk.CrowNest;
import dev.crownest.sdk.RawResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The create lines of {@code bench lifecycle}: creates of the base template spaced (one a second, so the pool
 * refills between them) and back to back (rounds of 10, the sandboxes kept until the round ends), each through
 * the public API, at the node agent, and as bare {@code runsc create}+{@code start} of the same template, in the
 * same run. Prints p50/p95 and each side's ratio to bare runsc, how many API creates were claimed from the warm
 * pool, and the pool's size after each round.
 */
final class CreateLines {
    private static final int BURST = 10;
    private static final Duration SPACING = Duration.ofSeconds(1);

    private final CrowNest api;
    private final NodeAgent node;
    private final Path nodeState;
    private final BareRunsc bare;
    private final Map<String, Percentiles> figures = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();
    private int warmHits;
    private int apiCreates;

    CreateLines(CrowNest api, BareRunsc bare) {
        this.api = api;
        this.bare = bare;
        this.node = new NodeAgent(URI.create(System.getProperty("crownest.node-agent-url", "http://127.0.0.1:8083")));
        this.nodeState = Path.of(System.getProperty("crownest.node-state-dir", ".crownest/node"));
    }

    /** {@code spaced} creates of each kind, then {@code rounds} back-to-back rounds of 10 of each kind. */
    void run(int spaced, int rounds) throws Exception {
        for (int i = 0; i < spaced; i++) {
            Thread.sleep(SPACING.toMillis());
            List<String> made = apiBurst("create spaced", 1);
            api.http().send("DELETE", "/v1/sandboxes/" + made.getFirst());
            node.delete(nodeBurst("create spaced", 1).getFirst());
            bare.destroy(bareBurst("create spaced", "spaced" + i, 1).getFirst());
        }
        for (int r = 0; r < rounds; r++) {
            Thread.sleep(SPACING.toMillis() * 3); // the pool refills between rounds
            int warmBefore = warmHits;
            for (String id : apiBurst("create back-to-back x" + BURST, BURST)) {
                api.http().send("DELETE", "/v1/sandboxes/" + id);
            }
            notes.add("round " + (r + 1) + ": " + (warmHits - warmBefore) + "/" + BURST
                    + " API creates warm, pool then " + pool());
            Thread.sleep(SPACING.toMillis() * 3);
            for (String id : nodeBurst("create back-to-back x" + BURST, BURST)) {
                node.delete(id);
            }
            for (String id : bareBurst("create back-to-back x" + BURST, "burst" + r + "-", BURST)) {
                bare.destroy(id);
            }
        }
    }

    private List<String> apiBurst(String figure, int count) throws IOException {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long t0 = System.nanoTime();
            RawResponse created = api.http().send("POST", "/v1/sandboxes", Map.of("template", "base"));
            figure(figure, "api").addSince(t0);
            if (created.status() != 201 || !"running".equals(created.field("status"))) {
                throw new IllegalStateException("create failed: " + created.text());
            }
            ids.add(created.field("id"));
        }
        for (String id : ids) { // read before the kill removes the record
            apiCreates++;
            if (containerOf(id).startsWith("pool_")) {
                warmHits++;
            }
        }
        return ids;
    }

    private List<String> nodeBurst(String figure, int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = NodeAgent.newSandboxId();
            long t0 = System.nanoTime();
            node.create(id, "base", 1);
            figure(figure, "node").addSince(t0);
            ids.add(id);
        }
        return ids;
    }

    private List<String> bareBurst(String figure, String prefix, int count) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = prefix + i;
            Path bundle = bare.bundle(id);
            long t0 = System.nanoTime();
            bare.createAndStart(id, bundle);
            figure(figure, "runsc").addSince(t0);
            ids.add(id);
        }
        return ids;
    }

    private Percentiles figure(String figure, String side) {
        return figures.computeIfAbsent(figure + "|" + side, k -> new Percentiles());
    }

    private String containerOf(String id) throws IOException {
        JsonNode record = NodeAgent.JSON.readTree(nodeState
                .resolve("sandboxes")
                .resolve(id)
                .resolve("sandbox.json")
                .toFile());
        return record.path("containerId").asText(id);
    }

    private String pool() {
        TemplatePool base = NodeAgent.CLIENT
                .warmPool(node.url())
                .block(Duration.ofSeconds(10))
                .get("base");
        return base == null ? "none" : base.ready() + " ready of " + base.size();
    }

    void print() {
        System.out.printf(
                "%-26s %9s %9s %9s %9s %9s %9s %8s %8s%n",
                "create (ms)",
                "api p50",
                "api p95",
                "node p50",
                "node p95",
                "runsc p50",
                "runsc p95",
                "api/runsc",
                "node/runsc");
        for (String figure : List.of("create spaced", "create back-to-back x" + BURST)) {
            Percentiles a = figures.get(figure + "|api"),
                    n = figures.get(figure + "|node"),
                    r = figures.get(figure + "|runsc");
            if (a == null) {
                continue;
            }
            System.out.printf(
                    "%-26s %9.1f %9.1f %9.1f %9.1f %9.1f %9.1f %7.2fx %7.2fx%n",
                    figure, a.p(50), a.p(95), n.p(50), n.p(95), r.p(50), r.p(95), a.p(50) / r.p(50), n.p(50) / r.p(50));
        }
        System.out.printf("API creates claimed from the warm pool: %d of %d%n", warmHits, apiCreates);
        notes.forEach(System.out::println);
        System.out.println(
                "target (issue 13): API warm create p50 <= 0.15x bare runsc create+start, also back to back; <= 30 ms quiet");
    }
}
