package dev.crownest.bench.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crownest.bench.Percentiles;
import dev.crownest.contracts.event.Topics;
import dev.crownest.sdk.CrowNest;
import dev.crownest.sdk.RawResponse;
import dev.crownest.systemtest.SystemUnderTest;
import dev.crownest.systemtest.TopicTail;
import dev.crownest.systemtest.WebhookReceiver;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code ./crownest bench webhooks [N]}: N sandboxes created and killed through the public API while
 * the operator's webhook endpoint for the default tenant ({@code sandbox.*}) listens on 127.0.0.1.
 * Each delivery's latency is its arrival at the receiver less the event's own time ({@code createdAt});
 * beside it, the same events' arrival at a bare Kafka reader of {@code sandbox-events} (no consumer
 * group), the floor any consumer of the platform's events sees. Prints p50/p95 per event type.
 */
public final class WebhookBench {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        CrowNest api = SystemUnderTest.client(Path.of(System.getProperty("crownest.env-file", ".crownest/env")));
        CrowNest operator = SystemUnderTest.operator();
        Map<String, Instant> onKafka = new ConcurrentHashMap<>();
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            RawResponse endpoint = operator.http()
                    .send(
                            "POST",
                            "/v1/webhooks?tenantId=default",
                            Map.of("url", receiver.url(), "events", List.of("sandbox.*")));
            if (endpoint.status() != 201) {
                throw new IllegalStateException("webhook not registered: " + endpoint.text());
            }
            AtomicBoolean done = new AtomicBoolean();
            Thread tail = Thread.ofPlatform().daemon().start(() -> follow(onKafka, done));
            Thread.sleep(1000); // the tail positioned at the end before the first event
            try {
                for (int i = 0; i < n; i++) {
                    RawResponse created = api.http().send("POST", "/v1/sandboxes", Map.of("template", "base"));
                    if (created.status() != 201) {
                        throw new IllegalStateException("create failed: " + created.text());
                    }
                    api.http().send("DELETE", "/v1/sandboxes/" + created.field("id"));
                    Thread.sleep(300);
                }
                long giveUp = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (receiver.deliveries().size() < 3L * n && System.nanoTime() < giveUp) {
                    Thread.sleep(100);
                }
            } finally {
                done.set(true);
                tail.join();
                operator.http().send("DELETE", "/v1/webhooks/" + endpoint.field("id") + "?tenantId=default");
            }
            print(n, receiver.deliveries(), onKafka);
        }
    }

    private static void follow(Map<String, Instant> onKafka, AtomicBoolean done) {
        try (TopicTail tail = TopicTail.fromNow(SystemUnderTest.kafka(), Topics.SANDBOX_EVENTS)) {
            while (!done.get()) {
                for (TopicTail.Received r : tail.poll(Duration.ofMillis(50))) {
                    onKafka.put("evt_" + r.event().path("eventId").asText(), r.at());
                }
            }
        }
    }

    private static void print(int n, List<WebhookReceiver.Delivery> deliveries, Map<String, Instant> onKafka)
            throws Exception {
        Map<String, Percentiles[]> byType = new LinkedHashMap<>();
        Percentiles[] all = {new Percentiles(), new Percentiles()};
        for (WebhookReceiver.Delivery d : deliveries) {
            JsonNode event = JSON.readTree(d.body());
            Instant at = Instant.parse(event.path("createdAt").asText());
            Instant kafka = onKafka.get(d.eventId());
            Percentiles[] figures = byType.computeIfAbsent(
                    d.eventType(), t -> new Percentiles[] {new Percentiles(), new Percentiles()});
            for (Percentiles[] f : List.of(figures, all)) {
                f[0].addMillis(Duration.between(at, d.receivedAt()).toNanos() / 1e6);
                if (kafka != null) {
                    f[1].addMillis(Duration.between(at, kafka).toNanos() / 1e6);
                }
            }
        }
        System.out.printf(
                "webhooks: %d sandboxes created and killed, %d deliveries (%d expected)%n",
                n, deliveries.size(), 3 * n);
        System.out.printf(
                "%-30s %6s %10s %10s %10s %10s%n",
                "event → (ms)", "count", "hook p50", "hook p95", "kafka p50", "kafka p95");
        byType.put("all", all);
        byType.forEach((type, f) -> System.out.printf(
                "%-30s %6d %10.1f %10.1f %10.1f %10.1f%n",
                type,
                f[0].size(),
                f[0].p(50),
                f[0].p(95),
                f[1].size() == 0 ? Double.NaN : f[1].p(50),
                f[1].size() == 0 ? Double.NaN : f[1].p(95)));
    }
}
