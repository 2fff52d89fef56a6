package dev.crownest.bench.api;

import dev.crownest.bench.Percentiles;
import dev.crownest.sdk.CrowNest;
import dev.crownest.sdk.RawResponse;
import java.util.Map;
import java.util.UUID;

/** Idempotent replay latency p50, beside the same sequential client's plain GET. */
final class IdempotentReplay {
    private IdempotentReplay() {}

    static void measure(CrowNest api, String id) {
        int n = 500;
        String key = "bench-" + UUID.randomUUID();
        Map<String, Object> body = Map.of("cmd", "true");
        RawResponse first =
                api.http().send("POST", "/v1/sandboxes/" + id + "/commands", body, Map.of("Idempotency-Key", key));
        if (first.status() != 200) {
            throw new IllegalStateException("run failed: " + first.text());
        }
        Percentiles replays = new Percentiles();
        Percentiles reads = new Percentiles();
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            RawResponse again =
                    api.http().send("POST", "/v1/sandboxes/" + id + "/commands", body, Map.of("Idempotency-Key", key));
            long t1 = System.nanoTime();
            api.http().send("GET", "/v1/sandboxes/" + id);
            long t2 = System.nanoTime();
            if (!"true".equals(again.header("Idempotent-Replayed"))) {
                throw new IllegalStateException("not replayed: " + again.text());
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
}
