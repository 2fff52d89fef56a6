package dev.crownest.bench.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crownest.systemtest.PlatformClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What each SDK adds to a blocking run of {@code true} over raw HTTP from the same process (issue target: at
 * most 2 ms p50). Each SDK's script ({@code benchmarks/sdk/overhead.*}) interleaves, round by round, a raw
 * POST without an Idempotency-Key, one with a key (each SDK sends one on every run, so the gateway records
 * it) and the SDK's own call, and prints its timings; the medians are printed here side by side.
 */
final class SdkOverhead {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SdkOverhead() {}

    static void measure(PlatformClient api, String id, int rounds) throws IOException, InterruptedException {
        Path scripts =
                Path.of(System.getenv().getOrDefault("CROWNEST_ROOT", ".")).resolve("benchmarks/sdk");
        System.out.printf("SDK overhead on a blocking run of `true` (%d interleaved rounds per SDK, p50)%n", rounds);
        measure("TypeScript", List.of("node", scripts.resolve("overhead.mjs").toString()), api, id, rounds);
        measure("Python", List.of("python3", scripts.resolve("overhead.py").toString()), api, id, rounds);
        System.out.println();
    }

    private static void measure(String sdk, List<String> command, PlatformClient api, String id, int rounds)
            throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(command);
        argv.addAll(List.of(api.apiUrl(), id, Integer.toString(rounds)));
        ProcessBuilder builder = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().put("CROWNEST_API_KEY", api.apiKey());
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IllegalStateException(sdk + " overhead script failed: " + out);
        }
        JsonNode times = JSON.readTree(out);
        double raw = median(times.path("raw"));
        double keyed = median(times.path("rawWithKey"));
        double sdkRun = median(times.path("sdk"));
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
