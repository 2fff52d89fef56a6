package dev.crownest.systemtest.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crownest.contracts.node.ExecFrames;
import dev.crownest.systemtest.FilesClient;
import dev.crownest.systemtest.PlatformClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ./crownest bench api [SECONDS] [STREAM_MB] [ROUNDS]}: the public edge under load, each figure
 * beside baselines measured in the same run, interleaved over ROUNDS rounds (default 3), medians printed;
 * 0 for SECONDS, STREAM_MB or FILE_MB skips that part.
 * <ul>
 *   <li>authenticated {@code GET /v1/sandboxes/{id}} throughput with wrk (a second process on loopback,
 *       sharing the machine's cores), beside two answers of the same server without authentication
 *       ({@code /actuator/health/ping} and the static {@code /v1/openapi.json}) and the same read straight
 *       from sandbox-service;</li>
 *   <li>idempotent replay latency p50, beside the same sequential client's plain GET;</li>
 *   <li>stdout streamed end to end (node agent, gateway, SSE) in MB/s, for two producers
 *       (8 KiB and 128 KiB writes), beside the node
 *       agent's exec stream read directly and bare {@code runsc exec} of the same command.</li>
 *   <li>a FILE_MB (100) file uploaded and downloaded through the files API (with the key, and through
 *       signed URLs) beside the node agent's own files endpoint, with the gateway's heap meanwhile.</li>
 * </ul>
 */
public final class ApiBench {
    private static final Pattern REQUESTS_PER_SECOND = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern LATENCY_P50 = Pattern.compile("\\s50%\\s+([0-9.]+)(us|ms|s)");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int streamMb = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        int fileMb = args.length > 3 ? Integer.parseInt(args[3]) : 100;
        Path envFile = Path.of(System.getProperty("crownest.env-file", ".crownest/env"));
        PlatformClient api = PlatformClient.fromEnvFile(envFile);
        String sandboxServiceUrl = System.getProperty("crownest.sandbox-service-url");
        // Not the warm pool's shape (512 MB): a cold sandbox's runsc container has the sandbox's id, which
        // the bare-exec baseline names.
        PlatformClient.Answer created =
                api.post("/v1/sandboxes", Map.of("template", "base", "ttlMs", 1_800_000, "memoryMb", 1024));
        if (created.status() != 201) {
            throw new IllegalStateException("create failed: " + created.raw());
        }
        String id = created.text("id");
        String tenant = System.getProperty("crownest.tenant", "default");
        try {
            // 0 for SECONDS, STREAM_MB or FILE_MB skips that part
            if (seconds > 0) {
                throughput(api, sandboxServiceUrl, id, tenant, seconds, rounds);
                replay(api, id);
            }
            if (streamMb > 0) {
                streaming(api, id, streamMb, rounds);
            }
            if (fileMb > 0) {
                files(api, id, fileMb);
            }
        } finally {
            api.delete("/v1/sandboxes/" + id);
        }
    }

    private static void throughput(
            PlatformClient api, String sandboxServiceUrl, String id, String tenant, int seconds, int rounds)
            throws Exception {
        System.out.printf(
                "GET /v1/sandboxes/{id} throughput (wrk, 2 threads, 32 connections, %d s each, after a 3 s warm-up; "
                        + "median of %d interleaved rounds)%n",
                seconds, rounds);
        List<String> gateway = List.of("-H", "x-api-key: " + api.apiKey(), api.apiUrl() + "/v1/sandboxes/" + id);
        List<String> bare = List.of(api.apiUrl() + "/actuator/health/ping");
        List<String> document = List.of(api.apiUrl() + "/v1/openapi.json");
        List<String> direct =
                List.of("-H", "X-CrowNest-Tenant: " + tenant, sandboxServiceUrl + "/internal/sandboxes/" + id);
        wrk(gateway, 3);
        wrk(bare, 3);
        wrk(document, 3);
        wrk(direct, 3);
        List<double[]> viaGateway = new ArrayList<>();
        List<double[]> gatewayBare = new ArrayList<>();
        List<double[]> openApi = new ArrayList<>();
        List<double[]> straight = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            viaGateway.add(wrk(gateway, seconds));
            gatewayBare.add(wrk(bare, seconds));
            openApi.add(wrk(document, seconds));
            straight.add(wrk(direct, seconds));
        }
        double g = median(viaGateway, 0);
        double b = median(gatewayBare, 0);
        double d = median(straight, 0);
        System.out.printf(
                "  through the gateway (auth, scope, rate limit, cache): %,9.0f requests/s   p50 %6.2f ms   runs %s%n",
                g, median(viaGateway, 1), runs(viaGateway));
        System.out.printf(
                "  gateway bare (/actuator/health/ping, baseline):       %,9.0f requests/s   p50 %6.2f ms   runs %s%n",
                b, median(gatewayBare, 1), runs(gatewayBare));
        System.out.printf(
                "  gateway static (/v1/openapi.json, 29 KB, baseline):   %,9.0f requests/s   p50 %6.2f ms   runs %s%n",
                median(openApi, 0), median(openApi, 1), runs(openApi));
        System.out.printf(
                "  sandbox-service alone (baseline):                     %,9.0f requests/s   p50 %6.2f ms   runs %s%n",
                d, median(straight, 1), runs(straight));
        System.out.printf(
                "  gateway GET / health ping: %.2fx   / openapi.json: %.2fx   / sandbox-service: %.2fx   (wrk runs on the same cores)%n%n",
                g / b, g / median(openApi, 0), g / d);
    }

    private static void replay(PlatformClient api, String id) {
        int n = 500;
        String key = "bench-" + UUID.randomUUID();
        Map<String, Object> body = Map.of("cmd", "true");
        PlatformClient.Answer first = api.postIdempotent("/v1/sandboxes/" + id + "/commands", body, key);
        if (first.status() != 200) {
            throw new IllegalStateException("run failed: " + first.raw());
        }
        Percentiles replays = new Percentiles();
        Percentiles reads = new Percentiles();
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            PlatformClient.Answer again = api.postIdempotent("/v1/sandboxes/" + id + "/commands", body, key);
            long t1 = System.nanoTime();
            api.get("/v1/sandboxes/" + id);
            long t2 = System.nanoTime();
            if (!again.replayed()) {
                throw new IllegalStateException("not replayed: " + again.raw());
            }
            replays.addNanos(t1 - t0);
            reads.addNanos(t2 - t1);
        }
        System.out.printf("idempotent replay (%d sequential POSTs of one key, interleaved with GETs)%n", n);
        System.out.printf("  replay            p50 %6.2f ms   p95 %6.2f ms%n", replays.p(50), replays.p(95));
        System.out.printf(
                "  GET (baseline)    p50 %6.2f ms   p95 %6.2f ms   replay/GET %.2fx%n%n",
                reads.p(50), reads.p(95), replays.p(50) / reads.p(50));
    }

    /**
     * Two producers of the same bytes, because the producer decides what gVisor can give at all: under
     * the ptrace platform every system call is a trip through the sentry, and {@code tr} writes 8 KiB
     * at a time (about 25 MB/s bare here), while {@code cat} of a file in the sandbox writes 128 KiB at a
     * time (about 400 MB/s bare). The file is written once, before any timing.
     */
    private static void streaming(PlatformClient api, String id, int megabytes, int rounds) throws Exception {
        long bytes = megabytes * 1_000_000L;
        String file = "/tmp/crownest-bench-stream.txt";
        PlatformClient.Answer made = api.post(
                "/v1/sandboxes/" + id + "/commands",
                Map.of("cmd", "head -c " + bytes + " /dev/zero | tr '\\0' 'x' > " + file, "timeoutMs", 300_000));
        if (made.status() != 200 || made.body().path("exitCode").asInt(-1) != 0) {
            throw new IllegalStateException("could not write the stream's file: " + made.raw());
        }
        streaming(
                api,
                id,
                bytes,
                rounds,
                "8 KiB writes: head -c " + megabytes + "M /dev/zero | tr '\\0' x",
                "head -c " + bytes + " /dev/zero | tr '\\0' 'x'");
        streaming(api, id, bytes, rounds, "128 KiB writes: cat of a " + megabytes + " MB file", "cat " + file);
    }

    private static void streaming(PlatformClient api, String id, long bytes, int rounds, String title, String cmd)
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

    /**
     * Runs {@code cmd} streamed (SSE) and counts the characters of its stdout events, as a client that
     * cares for speed reads them: lines cut from the bytes, each data line's JSON read by a streaming
     * parser without building a tree or a String. The client shares the machine's two cores with the
     * platform: reading lines into Strings and every event into a JSON tree (PlatformClient.stream)
     * held the figure near 56 MB/s where curl read the same stream at 110-120 MB/s.
     */
    private static long streamedStdout(PlatformClient api, String id, String cmd) throws Exception {
        // HttpURLConnection, not java.net.http: its blocking chunked reader took the same stream at about
        // twice the rate of java.net.http's InputStream (small buffers handed between threads)
        java.net.HttpURLConnection connection =
                (java.net.HttpURLConnection) URI.create(api.apiUrl() + "/v1/sandboxes/" + id + "/commands")
                        .toURL()
                        .openConnection();
        connection.setRequestMethod("POST");
        connection.setDoOutput(true);
        connection.setRequestProperty("x-api-key", api.apiKey());
        connection.setRequestProperty("content-type", "application/json");
        connection.setRequestProperty("accept", "text/event-stream");
        try (var out = connection.getOutputStream()) {
            out.write(JSON.writeValueAsBytes(Map.of("cmd", cmd, "stream", true, "timeoutMs", 600_000)));
        }
        if (connection.getResponseCode() != 200) {
            throw new IllegalStateException("stream answered " + connection.getResponseCode());
        }
        long characters = 0;
        boolean stdout = false;
        byte[] buffer = new byte[1 << 20];
        int filled = 0;
        try (var body = connection.getInputStream()) {
            for (int n; (n = body.read(buffer, filled, buffer.length - filled)) > 0 || filled == buffer.length; ) {
                if (filled == buffer.length) {
                    buffer = java.util.Arrays.copyOf(buffer, buffer.length * 2); // a line longer than the buffer
                    continue;
                }
                filled += n;
                int start = 0;
                for (int end; (end = indexOf(buffer, (byte) '\n', start, filled)) >= 0; start = end + 1) {
                    if (startsWith(buffer, start, "event:")) {
                        stdout = startsWith(buffer, start, "event:stdout");
                    } else if (stdout && startsWith(buffer, start, "data:")) {
                        try (com.fasterxml.jackson.core.JsonParser parser =
                                JSON.getFactory().createParser(buffer, start + 5, end - start - 5)) {
                            while (parser.nextToken() != null) {
                                if (parser.currentToken() == com.fasterxml.jackson.core.JsonToken.VALUE_STRING
                                        && "data".equals(parser.currentName())) {
                                    characters += parser.getTextLength();
                                }
                            }
                        }
                    }
                }
                System.arraycopy(buffer, start, buffer, 0, filled - start);
                filled -= start;
            }
        }
        return characters;
    }

    private static int indexOf(byte[] bytes, byte b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static boolean startsWith(byte[] bytes, int at, String prefix) {
        for (int i = 0; i < prefix.length(); i++) {
            if (at + i >= bytes.length || bytes[at + i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Seconds for the node agent's own exec stream of {@code cmd}, in the frames the worker reads, counted here. */
    private static double nodeExec(String nodeAgentUrl, String sandboxId, String cmd, long expected) throws Exception {
        String body = JSON.writeValueAsString(
                Map.of("commandId", "bench-" + UUID.randomUUID(), "cmd", cmd, "timeoutMs", 600_000));
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create(nodeAgentUrl + "/node/v1/sandboxes/" + sandboxId + "/exec"))
                .header("content-type", "application/json")
                .header("accept", ExecFrames.MEDIA_TYPE)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        long t0 = System.nanoTime();
        HttpResponse<java.io.InputStream> response = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
        long n = 0;
        try (var frames = new java.io.BufferedInputStream(response.body(), 256 * 1024)) {
            for (ExecFrames.Frame frame; (frame = ExecFrames.read(frames)) != null; ) {
                if (frame.type() == ExecFrames.STDOUT) {
                    n += frame.payload().length;
                }
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (n != expected) {
            throw new IllegalStateException("node agent exec gave " + n + " bytes, expected " + expected);
        }
        return seconds;
    }

    private static double median(List<double[]> runs, int index) {
        return median(runs.stream().map(r -> r[index]).toList());
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        java.util.Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static String runs(List<?> values) {
        return values.stream()
                .map(v -> v instanceof double[] r ? r[0] : (Double) v)
                .map(v -> String.format(v >= 100 ? "%.0f" : "%.1f", v))
                .toList()
                .toString();
    }

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
    private static void files(PlatformClient api, String id, int megabytes) throws Exception {
        int runs = 3;
        long size = megabytes * 1_000_000L;
        FilesClient client = FilesClient.of(api);
        String nodeAgent = System.getProperty("crownest.node-agent-url");
        Path local = java.nio.file.Files.createTempFile("crownest-bench-", ".bin");
        Map<Way, List<Double>> up = new java.util.EnumMap<>(Way.class);
        Map<Way, List<Double>> down = new java.util.EnumMap<>(Way.class);
        // per gateway transfer: peak heap used over the sample before, heap allocated, collections, peak rss over the
        // sample before
        List<long[]> heap = new ArrayList<>();
        long pid = gatewayPid();
        try (HeapWatch watch = pid > 0 ? new HeapWatch(pid) : null) {
            String sha = randomFile(local, size);
            Thread.sleep(1000); // idle samples before the first transfer
            long baseline = watch == null
                    ? 0
                    : watch.between(0, System.nanoTime()).getLast().heapUsed();
            for (int run = 0; run < runs; run++) {
                for (Way way : Way.values()) {
                    String url = switch (way) {
                        case NODE -> nodeAgent + "/node/v1/sandboxes/" + id + "/files?path=bench/node.bin";
                        case KEY -> FilesClient.route(id, "", "path=bench/key.bin");
                        case SIGNED ->
                            api.post(FilesClient.route(id, "/upload-url", null), Map.of("path", "bench/signed.bin"))
                                    .text("url");
                    };
                    long[] counters = counters(watch);
                    long t0 = System.nanoTime();
                    PlatformClient.Answer answer = client.upload("PUT", url, way == Way.KEY, local);
                    long t1 = System.nanoTime();
                    if (answer.status() != 200 || answer.body().path("size").asLong() != size) {
                        throw new IllegalStateException(
                                way + " upload answered " + answer.status() + ": " + answer.raw());
                    }
                    up.computeIfAbsent(way, w -> new ArrayList<>()).add((t1 - t0) / 1e9);
                    if (way != Way.NODE && watch != null) {
                        Thread.sleep(100);
                        heap.add(heapDuring(watch, t0, t1, counters));
                    }
                }
                for (Way way : Way.values()) {
                    String url = switch (way) {
                        case NODE -> nodeAgent + "/node/v1/sandboxes/" + id + "/files?path=bench/node.bin";
                        case KEY -> FilesClient.route(id, "", "path=bench/key.bin");
                        case SIGNED ->
                            api.post(FilesClient.route(id, "/download-url", null), Map.of("path", "bench/signed.bin"))
                                    .text("url");
                    };
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
            java.nio.file.Files.deleteIfExists(local);
            api.delete(FilesClient.route(id, "", "path=bench"));
        }
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
                    : Long.parseLong(java.nio.file.Files.readString(Path.of(home, "pids", "api-gateway.pid"))
                            .trim());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    private static String randomFile(Path file, long size) throws Exception {
        java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
        java.util.Random random = new java.util.Random(size);
        byte[] block = new byte[1 << 20];
        try (var out = java.nio.file.Files.newOutputStream(file)) {
            for (long left = size; left > 0; left -= block.length) {
                random.nextBytes(block);
                int n = (int) Math.min(block.length, left);
                out.write(block, 0, n);
                sha.update(block, 0, n);
            }
        }
        return java.util.HexFormat.of().formatHex(sha.digest());
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
        long n = p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        p.waitFor();
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (n != expected) {
            throw new IllegalStateException("bare exec gave " + n + " bytes, expected " + expected);
        }
        return seconds;
    }

    private static double[] wrk(List<String> target, int seconds) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("wrk", "-t2", "-c32", "-d" + seconds + "s", "--latency"));
        command.addAll(target);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        StringBuilder out = new StringBuilder();
        try (var reader = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            reader.lines().forEach(line -> out.append(line).append('\n'));
        }
        p.waitFor();
        if (out.toString().contains("Non-2xx")) {
            throw new IllegalStateException("wrk saw errors:\n" + out);
        }
        Matcher rps = REQUESTS_PER_SECOND.matcher(out);
        Matcher p50 = LATENCY_P50.matcher(out);
        if (!rps.find() || !p50.find()) {
            throw new IllegalStateException("unreadable wrk output:\n" + out);
        }
        double latency = Double.parseDouble(p50.group(1))
                * switch (p50.group(2)) {
                    case "us" -> 0.001;
                    case "s" -> 1000;
                    default -> 1;
                };
        return new double[] {Double.parseDouble(rps.group(1)), latency};
    }
}
