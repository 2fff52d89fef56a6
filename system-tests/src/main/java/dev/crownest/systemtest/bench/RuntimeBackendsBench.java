package dev.crownest.systemtest.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code ./crownest bench runtimes [N]}: the node agent's two runtimes side by side, each a node agent
 * of its own on this machine: the stack's (runsc driven directly) and a second one on the docker
 * runtime (Docker with runsc), which bench.sh starts for the run. Rounds alternate which runtime goes
 * first, so both see the same noise. Figures, p50 and p95 over N rounds, at each node agent's HTTP API:
 * a cold create (cpu 2, not the warm pool's shape) until running, an exec of {@code true}, a pause and
 * a resume of an idle sandbox (paused for 1 s), and the delete.
 */
public final class RuntimeBackendsBench {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Map<String, Percentiles> figures = new LinkedHashMap<>();

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        Map<String, URI> nodes = new LinkedHashMap<>();
        nodes.put("runsc", URI.create(System.getProperty("crownest.node-agent-url", "http://127.0.0.1:8083")));
        nodes.put("docker", URI.create(System.getProperty("crownest.docker-node-agent-url", "http://127.0.0.1:8089")));
        new RuntimeBackendsBench().run(n, nodes);
    }

    private void run(int n, Map<String, URI> nodes) throws Exception {
        // Warm-up: each node's request path, and the docker runtime's one-time import of the template image.
        for (URI node : nodes.values()) {
            String id = newId();
            create(node, id);
            exec(node, id, "true");
            delete(node, id);
        }
        List<String> names = List.copyOf(nodes.keySet());
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < names.size(); k++) {
                String name = names.get((i + k) % names.size());
                round(name, nodes.get(name));
            }
        }
        System.out.printf(
                "runtimes: %d rounds, interleaved; runsc at %s, docker at %s%n",
                n, nodes.get("runsc"), nodes.get("docker"));
        System.out.printf("%-36s %9s %9s%n", "figure (ms)", "p50", "p95");
        figures.forEach((figure, p) -> System.out.printf("%-36s %9.1f %9.1f%n", figure, p.p(50), p.p(95)));
        for (String figure : List.of("cold create", "exec true", "pause", "resume", "delete")) {
            System.out.printf(
                    "%-36s %8.2fx%n",
                    "ratio " + figure + " docker / runsc",
                    figures.get("docker: " + figure).p(50)
                            / figures.get("runsc: " + figure).p(50));
        }
    }

    private void round(String name, URI node) throws Exception {
        String id = newId();
        long t0 = System.nanoTime();
        create(node, id);
        add(name + ": cold create", t0);
        Thread.sleep(300); // the create's own background work (pool refill, logs) settles
        t0 = System.nanoTime();
        exec(node, id, "true");
        add(name + ": exec true", t0);
        t0 = System.nanoTime();
        post(node, "/node/v1/sandboxes/" + id + "/pause", "{}");
        add(name + ": pause", t0);
        Thread.sleep(1000);
        t0 = System.nanoTime();
        post(node, "/node/v1/sandboxes/" + id + "/resume", "{}");
        add(name + ": resume", t0);
        t0 = System.nanoTime();
        delete(node, id);
        add(name + ": delete", t0);
    }

    private void add(String figure, long startNanos) {
        figures.computeIfAbsent(figure, f -> new Percentiles()).addNanos(System.nanoTime() - startNanos);
    }

    private static String newId() {
        return "sbx_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
    }

    private static void create(URI node, String id) throws Exception {
        // cpu 2: not the warm pool's shape, so every create is a cold start on both runtimes
        post(
                node,
                "/node/v1/sandboxes",
                JSON.writeValueAsString(Map.of(
                        "sandboxId",
                        id,
                        "tenantId",
                        "bench",
                        "template",
                        "base",
                        "cpu",
                        2,
                        "memoryMb",
                        512,
                        "diskMb",
                        1024,
                        "network",
                        "off",
                        "expiresAt",
                        Instant.now().plusSeconds(600).toString())));
    }

    private static void exec(URI node, String id, String cmd) throws Exception {
        String body = post(
                node,
                "/node/v1/sandboxes/" + id + "/exec",
                JSON.writeValueAsString(Map.of("cmd", cmd, "timeoutMs", 10_000)));
        if (!body.contains("\"exitCode\":0")) {
            throw new IllegalStateException("exec failed on " + node + ": " + body);
        }
    }

    private static void delete(URI node, String id) throws Exception {
        HttpResponse<Void> res = HTTP.send(
                HttpRequest.newBuilder(node.resolve("/node/v1/sandboxes/" + id))
                        .DELETE()
                        .build(),
                HttpResponse.BodyHandlers.discarding());
        if (res.statusCode() != 204) {
            throw new IllegalStateException("delete on " + node + " answered " + res.statusCode());
        }
    }

    private static String post(URI node, String path, String body) throws Exception {
        HttpResponse<String> res = HTTP.send(
                HttpRequest.newBuilder(node.resolve(path))
                        .timeout(Duration.ofSeconds(60))
                        .header("content-type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (res.statusCode() / 100 != 2) {
            throw new IllegalStateException(node + path + " answered " + res.statusCode() + ": " + res.body());
        }
        return res.body();
    }
}
