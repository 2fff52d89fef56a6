package dev.crownest.bench.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crownest.sdk.CrowNest;
import dev.crownest.sdk.Sandbox;
import dev.crownest.systemtest.SystemUnderTest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * What each SDK (Java, TypeScript, Python) adds to a blocking run of {@code true} over raw HTTP from the same process (issue target: at
 * most 2 ms p50). Each SDK's script ({@code benchmarks/sdk/overhead.*}) interleaves, round by round, a raw
 * POST without an Idempotency-Key, one with a key (each SDK sends one on every run, so the gateway records
 * it) and the SDK's own call, and prints its timings; the medians are printed here side by side.
 */
final class SdkOverhead {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SdkOverhead() {}

    static void measure(CrowNest api, String id, int rounds) throws IOException, InterruptedException {
        Path scripts =
                Path.of(System.getenv().getOrDefault("CROWNEST_ROOT", ".")).resolve("benchmarks/sdk");
        System.out.printf("SDK overhead on a blocking run of `true` (%d interleaved rounds per SDK, p50)%n", rounds);
        measureJava(api, id, rounds);
        measure("TypeScript", List.of("node", scripts.resolve("overhead.mjs").toString()), api, id, rounds);
        measure("Python", List.of("python3", scripts.resolve("overhead.py").toString()), api, id, rounds);
        System.out.println();
    }

    private static void measure(String sdk, List<String> command, CrowNest api, String id, int rounds)
            throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(command);
        argv.addAll(List.of(api.baseUrl(), id, Integer.toString(rounds)));
        ProcessBuilder builder = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().put("CROWNEST_API_KEY", SystemUnderTest.apiKey());
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IllegalStateException(sdk + " overhead script failed: " + out);
        }
        JsonNode times = JSON.readTree(out);
        print(sdk, median(times.path("raw")), median(times.path("rawWithKey")), median(times.path("sdk")));
    }

    /** The Java SDK in this process, beside java.net.http's raw POSTs from it. */
    private static void measureJava(CrowNest api, String id, int rounds) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        Sandbox sandbox = CrowNest.builder()
                .apiKey(SystemUnderTest.apiKey())
                .baseUrl(api.baseUrl())
                .build()
                .sandboxes()
                .get(id);
        List<Double> raw = new ArrayList<>();
        List<Double> keyed = new ArrayList<>();
        List<Double> sdk = new ArrayList<>();
        for (int i = 0; i < rounds + 3; i++) {
            double r = time(() -> rawRun(http, api, id, false));
            double k = time(() -> rawRun(http, api, id, true));
            double s = time(() -> {
                if (sandbox.commands().run("true").exitCode() != 0) {
                    throw new IllegalStateException("SDK run failed");
                }
            });
            if (i >= 3) { // the first rounds warm the connection and the JIT
                raw.add(r);
                keyed.add(k);
                sdk.add(s);
            }
        }
        print("Java", Medians.median(raw), Medians.median(keyed), Medians.median(sdk));
    }

    private static void rawRun(HttpClient http, CrowNest api, String id, boolean keyed) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create(api.baseUrl() + "/v1/sandboxes/" + id + "/commands"))
                .header("x-api-key", SystemUnderTest.apiKey())
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"cmd\":\"true\"}"));
        if (keyed) {
            request.header("idempotency-key", UUID.randomUUID().toString());
        }
        HttpResponse<String> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("raw run: " + answer.statusCode() + " " + answer.body());
        }
    }

    private interface Run {
        void run() throws Exception;
    }

    private static double time(Run run) {
        long started = System.nanoTime();
        try {
            run.run();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return (System.nanoTime() - started) / 1e6;
    }

    private static void print(String sdk, double raw, double keyed, double sdkRun) {
        System.out.printf(
                "  %-10s raw %6.2f ms   raw+key %6.2f ms   SDK %6.2f ms   SDK-raw+key %+5.2f ms   SDK-raw %+5.2f ms%n",
                sdk, raw, keyed, sdkRun, sdkRun - keyed, sdkRun - raw);
    }

    private static double median(JsonNode values) {
        List<Double> list = new ArrayList<>();
        values.forEach(v -> list.add(v.asDouble()));
        return Medians.median(list);
    }
}
