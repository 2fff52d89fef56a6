package dev.crownest.bench.api;

import static dev.crownest.bench.api.Medians.median;
import static dev.crownest.bench.api.Medians.runs;

import dev.crownest.contracts.security.InternalHeaders;
import dev.crownest.sdk.CrowNest;
import dev.crownest.systemtest.SystemUnderTest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Authenticated {@code GET /v1/sandboxes/{id}} throughput with wrk (a second process on loopback,
 * sharing the machine's cores), beside two answers of the same server without authentication
 * ({@code /actuator/health/ping} and the static {@code /v1/openapi.json}) and the same read straight
 * from sandbox-service.
 */
final class ReadThroughput {
    private static final Pattern REQUESTS_PER_SECOND = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern LATENCY_P50 = Pattern.compile("\\s50%\\s+([0-9.]+)(us|ms|s)");

    private ReadThroughput() {}

    static void measure(CrowNest api, String sandboxServiceUrl, String id, String tenant, int seconds, int rounds)
            throws Exception {
        System.out.printf(
                "GET /v1/sandboxes/{id} throughput (wrk, 2 threads, 32 connections, %d s each, after a 3 s warm-up; "
                        + "median of %d interleaved rounds)%n",
                seconds, rounds);
        List<String> gateway =
                List.of("-H", "x-api-key: " + SystemUnderTest.apiKey(), api.baseUrl() + "/v1/sandboxes/" + id);
        List<String> bare = List.of(api.baseUrl() + "/actuator/health/ping");
        List<String> document = List.of(api.baseUrl() + "/v1/openapi.json");
        // straight to sandbox-service, signed as the gateway's calls are: a fresh token per wrk run (each lives 5
        // minutes)
        Supplier<List<String>> direct = () -> List.of(
                "-H",
                "X-CrowNest-Tenant: " + tenant,
                "-H",
                InternalHeaders.SERVICE_TOKEN + ": " + SystemUnderTest.serviceToken("benchmarks"),
                sandboxServiceUrl + "/internal/sandboxes/" + id);
        wrk(gateway, 3);
        wrk(bare, 3);
        wrk(document, 3);
        wrk(direct.get(), 3);
        List<double[]> viaGateway = new ArrayList<>();
        List<double[]> gatewayBare = new ArrayList<>();
        List<double[]> openApi = new ArrayList<>();
        List<double[]> straight = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            viaGateway.add(wrk(gateway, seconds));
            gatewayBare.add(wrk(bare, seconds));
            openApi.add(wrk(document, seconds));
            straight.add(wrk(direct.get(), seconds));
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

    /** One wrk run against {@code target}: requests per second and the p50 latency in ms. */
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
