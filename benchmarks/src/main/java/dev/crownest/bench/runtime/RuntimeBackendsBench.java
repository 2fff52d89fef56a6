package dev.crownest.bench.runtime;

import static dev.crownest.bench.NodeAgent.newSandboxId;

import dev.crownest.bench.Figures;
import dev.crownest.bench.NodeAgent;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ./crownest bench runtimes [N]}: the node agent's two runtimes side by side, each a node agent
 * of its own on this machine: the stack's (runsc driven directly) and a second one on the docker
 * runtime (Docker with runsc), which bench.sh starts for the run. Rounds alternate which runtime goes
 * first, so both see the same noise. Figures, p50 and p95 over N rounds, at each node agent's HTTP API:
 * a cold create (cpu 2, not the warm pool's shape) until running, an exec of {@code true}, a pause and
 * a resume of an idle sandbox (paused for 1 s), and the delete.
 */
public final class RuntimeBackendsBench {
    /** cpu 2: not the warm pool's shape, so every create is a cold start on both runtimes. */
    private static final int COLD_CPU = 2;

    private final Figures figures = new Figures(36);

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        Map<String, NodeAgent> nodes = new LinkedHashMap<>();
        nodes.put(
                "runsc",
                new NodeAgent(URI.create(System.getProperty("crownest.node-agent-url", "http://127.0.0.1:8083"))));
        nodes.put(
                "docker",
                new NodeAgent(
                        URI.create(System.getProperty("crownest.docker-node-agent-url", "http://127.0.0.1:8089"))));
        new RuntimeBackendsBench().run(n, nodes);
    }

    private void run(int n, Map<String, NodeAgent> nodes) throws Exception {
        // Warm-up: each node's request path, and the docker runtime's one-time import of the template image.
        for (NodeAgent node : nodes.values()) {
            String id = newSandboxId();
            node.create(id, "base", COLD_CPU);
            node.exec(id, "true");
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
                n, nodes.get("runsc").url(), nodes.get("docker").url());
        figures.printTable();
        for (String figure : List.of("cold create", "exec true", "pause", "resume", "delete")) {
            figures.printRatio(
                    "ratio " + figure + " docker / runsc",
                    figures.p50("docker: " + figure) / figures.p50("runsc: " + figure));
        }
    }

    private void round(String name, NodeAgent node) throws Exception {
        String id = newSandboxId();
        long t0 = System.nanoTime();
        node.create(id, "base", COLD_CPU);
        figures.since(name + ": cold create", t0);
        Thread.sleep(300); // the create's own background work (pool refill, logs) settles
        t0 = System.nanoTime();
        node.exec(id, "true");
        figures.since(name + ": exec true", t0);
        t0 = System.nanoTime();
        node.pause(id);
        figures.since(name + ": pause", t0);
        Thread.sleep(1000);
        t0 = System.nanoTime();
        node.resume(id);
        figures.since(name + ": resume", t0);
        t0 = System.nanoTime();
        delete(node, id);
        figures.since(name + ": delete", t0);
    }

    private static void delete(NodeAgent node, String id) throws Exception {
        int status = node.delete(id);
        if (status != 204) {
            throw new IllegalStateException("delete on " + node.url() + " answered " + status);
        }
    }
}
