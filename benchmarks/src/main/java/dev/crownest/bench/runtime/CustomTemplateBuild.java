package dev.crownest.bench.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crownest.sdk.CrowNest;
import dev.crownest.sdk.RawResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The build time of a custom template with one small step, through the public API: from the POST to
 * the template reported ready (what a user waits), beside the step's own
 * time from the build's logs. Target: at most 20 s plus the step's own time.
 */
final class CustomTemplateBuild {
    private static final Duration LIMIT = Duration.ofMinutes(5);
    private static final String STEP = "echo bench > /etc/bench-step";

    private final CrowNest api;

    CustomTemplateBuild(CrowNest api) {
        this.api = api;
    }

    void run() throws InterruptedException {
        String name = "bench-" + UUID.randomUUID().toString().substring(0, 8);
        long t0 = System.nanoTime();
        RawResponse created =
                api.http().send("POST", "/v1/templates", Map.of("name", name, "from", "base", "run", List.of(STEP)));
        if (created.status() != 202) {
            throw new IllegalStateException("template create answered " + created.status() + ": " + created.text());
        }
        long deadline = System.nanoTime() + LIMIT.toNanos();
        JsonNode view = created.json();
        while (view.path("status").asText().equals("building") && System.nanoTime() < deadline) {
            Thread.sleep(100);
            view = api.http().send("GET", "/v1/templates/" + name).json();
        }
        double totalS = (System.nanoTime() - t0) / 1e9;
        if (!view.path("status").asText().equals("ready")) {
            throw new IllegalStateException("the bench template did not build: " + view);
        }
        JsonNode logs =
                api.http().send("GET", "/v1/templates/" + name + "/logs").json();
        double stepS = logs.path("steps").get(0).path("durationMs").asLong() / 1000.0;
        System.out.printf(
                "custom template (from base, one step `%s`): ready after %.1f s through the API; the step itself %.2f s;"
                        + " image %d MB; target <= 20 s + the step%n",
                STEP, totalS, stepS, view.path("sizeBytes").asLong() >> 20);
        api.http().send("DELETE", "/v1/templates/" + name);
    }
}
