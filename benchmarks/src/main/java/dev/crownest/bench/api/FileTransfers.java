package dev.crownest.bench.api;

import static dev.crownest.bench.api.Medians.median;

import dev.crownest.nodeclient.NodeClient;
import dev.crownest.nodeclient.protocol.NodePaths;
import dev.crownest.sdk.CrowNest;
import dev.crownest.sdk.RawResponse;
import dev.crownest.systemtest.FilesClient;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A file uploaded and downloaded through the files API (with the key, and through signed URLs) beside
 * the node agent's own files endpoint, with the gateway's heap meanwhile.
 */
final class FileTransfers {
    private FileTransfers() {}

    private enum Way {
        NODE,
        KEY,
        SIGNED
    }

    /**
     * The same file up and down three ways, interleaved, three runs: straight to the node agent (the
     * baseline), through the gateway with the API key, and through staged signed URLs; the gateway's
     * heap is sampled throughout.
     */
    static void measure(CrowNest api, String id, int megabytes) throws Exception {
        int runs = 3;
        long size = megabytes * 1_000_000L;
        FilesClient client = FilesClient.of(api);
        String nodeAgent = System.getProperty("crownest.node-agent-url");
        Path local = Files.createTempFile("crownest-bench-", ".bin");
        Map<Way, List<Double>> up = new EnumMap<>(Way.class);
        Map<Way, List<Double>> down = new EnumMap<>(Way.class);
        // per gateway transfer: peak heap used over the sample before, heap allocated, collections, peak rss over the
        // sample before
        List<long[]> heap = new ArrayList<>();
        long pid = gatewayPid();
        try (HeapWatch watch = pid > 0 ? new HeapWatch(pid) : null) {
            String sha = FilesClient.randomFile(local, size);
            Thread.sleep(1000); // idle samples before the first transfer
            long baseline = watch == null
                    ? 0
                    : watch.between(0, System.nanoTime()).getLast().heapUsed();
            for (int run = 0; run < runs; run++) {
                for (Way way : Way.values()) {
                    String url = url(way, "/upload-url", api, nodeAgent, id);
                    long[] counters = counters(watch);
                    long t0 = System.nanoTime();
                    RawResponse answer = client.upload("PUT", url, way == Way.KEY, local);
                    long t1 = System.nanoTime();
                    if (answer.status() != 200 || answer.json().path("size").asLong() != size) {
                        throw new IllegalStateException(
                                way + " upload answered " + answer.status() + ": " + answer.text());
                    }
                    up.computeIfAbsent(way, w -> new ArrayList<>()).add((t1 - t0) / 1e9);
                    if (way != Way.NODE && watch != null) {
                        Thread.sleep(100);
                        heap.add(heapDuring(watch, t0, t1, counters));
                    }
                }
                for (Way way : Way.values()) {
                    String url = url(way, "/download-url", api, nodeAgent, id);
                    long[] counters = counters(watch);
                    long t0 = System.nanoTime();
                    FilesClient.Download got = client.download(url, way == Way.KEY);
                    long t1 = System.nanoTime();
                    if (got.status() != 200 || !sha.equals(got.sha256())) {
                        throw new IllegalStateException(way + " download answered " + got.status() + " sha "
                                + got.sha256() + ": " + got.error());
                    }
                    down.computeIfAbsent(way, w -> new ArrayList<>()).add((t1 - t0) / 1e9);
                    if (way != Way.NODE && watch != null) {
                        Thread.sleep(100);
                        heap.add(heapDuring(watch, t0, t1, counters));
                    }
                }
            }
            System.out.printf(
                    "%n%d MB file up and down (median of %d runs, interleaved; SHA-256 checked on every download)%n",
                    megabytes, runs);
            System.out.printf("  %-34s %8s %9s   %8s %9s%n", "", "upload", "", "download", "");
            for (Way way : Way.values()) {
                double u = median(up.get(way));
                double d = median(down.get(way));
                System.out.printf(
                        "  %-34s %6.2f s %6.0f MB/s   %6.2f s %6.0f MB/s%n",
                        switch (way) {
                            case NODE -> "node agent files API (bare):";
                            case KEY -> "gateway, API key:";
                            case SIGNED -> "gateway, signed URL:";
                        },
                        u,
                        megabytes / u,
                        d,
                        megabytes / d);
            }
            System.out.printf(
                    "  gateway/bare time: upload %.2fx (key) %.2fx (signed), download %.2fx (key) %.2fx (signed)%n",
                    median(up.get(Way.KEY)) / median(up.get(Way.NODE)),
                    median(up.get(Way.SIGNED)) / median(up.get(Way.NODE)),
                    median(down.get(Way.KEY)) / median(down.get(Way.NODE)),
                    median(down.get(Way.SIGNED)) / median(down.get(Way.NODE)));
            if (watch != null && !heap.isEmpty()) {
                long peak = heap.stream().mapToLong(h -> h[0]).max().orElse(0);
                List<Double> allocated = heap.stream().map(h -> h[1] / 1e6).toList();
                long collections = heap.stream().mapToLong(h -> h[2]).sum();
                long rss = heap.stream().mapToLong(h -> h[3]).max().orElse(0);
                System.out.printf(
                        "  gateway (-Xmx%s, heap used %.1f MB before) during its %d transfers of %d MB: heap used at most "
                                + "+%.1f MB over the sample before (JMX, every 10 ms), %.1f MB allocated on the heap per transfer "
                                + "(median; the bytes travel in pooled direct buffers), %d collections in all, resident set at most +%.1f MB%n",
                        watch.maxHeap(),
                        baseline / 1e6,
                        heap.size(),
                        megabytes,
                        peak / 1e6,
                        median(allocated),
                        collections,
                        rss / 1e6);
            }
        } finally {
            Files.deleteIfExists(local);
            api.http().send("DELETE", FilesClient.route(id, "", "path=bench"));
        }
    }

    /** Where a transfer goes: the node agent's files endpoint, the gateway's files route, or a signed URL staged by {@code signedRoute}. */
    private static String url(Way way, String signedRoute, CrowNest api, String nodeAgent, String id) {
        return switch (way) {
            case NODE ->
                NodeClient.uri(URI.create(nodeAgent), NodePaths.FILES, Map.of("path", "bench/node.bin"), id)
                        .toString();
            case KEY -> FilesClient.route(id, "", "path=bench/key.bin");
            case SIGNED ->
                api.http()
                        .send("POST", FilesClient.route(id, signedRoute, null), Map.of("path", "bench/signed.bin"))
                        .field("url");
        };
    }

    private static long[] counters(HeapWatch watch) {
        return watch == null ? new long[2] : new long[] {watch.allocatedBytes(), watch.collections()};
    }

    /** Peak heap used over the sample before, heap allocated, collections, peak resident set over the sample before. */
    private static long[] heapDuring(HeapWatch watch, long from, long to, long[] before) {
        long allocated = watch.allocatedBytes() - before[0];
        long collections = watch.collections() - before[1];
        List<HeapWatch.Sample> window = watch.between(from, to);
        if (window.size() < 2) {
            return new long[] {0, allocated, collections, 0};
        }
        HeapWatch.Sample first = window.getFirst();
        long peak = window.stream().mapToLong(HeapWatch.Sample::heapUsed).max().orElse(0) - first.heapUsed();
        long rss = window.stream().mapToLong(HeapWatch.Sample::rss).max().orElse(0) - first.rss();
        return new long[] {Math.max(0, peak), allocated, collections, Math.max(0, rss)};
    }

    private static long gatewayPid() {
        String home = System.getenv("CROWNEST_HOME");
        try {
            return home == null
                    ? -1
                    : Long.parseLong(Files.readString(Path.of(home, "pids", "api-gateway.pid"))
                            .trim());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }
}
