package dev.crownest.bench.metering;

import dev.crownest.bench.Percentiles;
import dev.crownest.contracts.event.Topics;
import dev.crownest.sdk.RawResponse;
import dev.crownest.systemtest.CreditPause;
import dev.crownest.systemtest.CreditTenant;
import dev.crownest.systemtest.SystemUnderTest;
import dev.crownest.systemtest.TopicTail;
import java.time.Duration;
import java.util.Map;

/**
 * Exhaustion to pause: each round a tenant of its own is granted about two seconds of credit and runs one
 * real sandbox until billing holds it; measured from billing's {@code CreditsExhausted} to the control
 * plane's {@code SandboxPaused} and to the gVisor sandbox gone from the node (issue 14: p99 ≤ 1 s).
 */
final class CreditStops {
    private CreditStops() {}

    static void exhaustionToPause(int rounds) {
        Percentiles paused = new Percentiles();
        Percentiles stopped = new Percentiles();
        try (TopicTail events =
                TopicTail.fromNow(SystemUnderTest.kafka(), Topics.BILLING_EVENTS, Topics.SANDBOX_EVENTS)) {
            for (int i = 0; i < rounds; i++) {
                CreditTenant tenant = CreditTenant.create("creditbench");
                RawResponse granted = tenant.grant("0.0001");
                if (granted.status() != 201) {
                    throw new IllegalStateException("grant refused: " + granted.text());
                }
                RawResponse created = tenant.key()
                        .http()
                        .send("POST", "/v1/sandboxes", Map.of("template", "base", "cpu", 1, "memoryMb", 512));
                if (created.status() != 201) {
                    throw new IllegalStateException("create refused: " + created.text());
                }
                String id = created.field("id");
                CreditPause pause = CreditPause.await(events, tenant.tenantId(), id, Duration.ofSeconds(60));
                paused.addMillis(pause.exhaustedToPausedMs());
                stopped.addMillis(pause.exhaustedToStoppedMs());
                // a paused sandbox is kept: end it, so the rounds leave nothing behind
                tenant.grant("1");
                tenant.key().http().send("DELETE", "/v1/sandboxes/" + id);
            }
        }
        System.out.printf(
                "  %-52s p50 %6.0f ms   p99 %6.0f ms%n",
                "CreditsExhausted -> SandboxPaused (control plane)", paused.p(50), paused.p(99));
        System.out.printf(
                "  %-52s p50 %6.0f ms   p99 %6.0f ms%n",
                "CreditsExhausted -> gVisor sandbox process gone", stopped.p(50), stopped.p(99));
    }
}
