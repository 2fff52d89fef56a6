package dev.crownest.billing.webhook;

import static dev.crownest.billing.BillingCalls.rated;
import static dev.crownest.billing.BillingCalls.utc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crownest.billing.BillingCalls;
import dev.crownest.contracts.event.CommandEvent.CommandFinished;
import dev.crownest.contracts.event.PlatformEvent;
import dev.crownest.contracts.event.QuotaEvent.QuotaWarningReached;
import dev.crownest.contracts.event.SandboxEvent.SandboxKilled;
import dev.crownest.contracts.event.SandboxEvent.SandboxStarted;
import dev.crownest.contracts.event.Topics;
import dev.crownest.kit.auth.ServiceCredential;
import dev.crownest.testing.IntegrationTest;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Webhooks on real Kafka and PostgreSQL, delivered to a receiver on 127.0.0.1: signatures a receiver
 * verifies with the secret alone, a retry after 500 with the same event id, no duplicate event ids when
 * source records come again, deliveries kept in PostgreSQL while nothing sends them, and bad input
 * refused with nothing registered.
 */
@IntegrationTest(database = "webhooks_test_")
class WebhooksIntegrationTest {
    static final Receiver RECEIVER = new Receiver();

    @DynamicPropertySource
    static void webhooks(DynamicPropertyRegistry registry) {
        registry.add("crownest.webhooks.allow-private-targets", () -> "true");
        registry.add("crownest.webhooks.backoff-base", () -> "200ms");
        registry.add("crownest.webhooks.poll-interval", () -> "100ms");
        registry.add("crownest.webhooks.reserved-ports", () -> "1,2");
    }

    @AfterAll
    static void stopReceiver() {
        RECEIVER.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    ServiceCredential credential;

    @Autowired
    KafkaTemplate<String, PlatformEvent> kafka;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    ObjectMapper json;

    @Autowired
    KafkaListenerEndpointRegistry listeners;

    @Autowired
    WebhookDispatcher dispatcher;

    BillingCalls calls() {
        return new BillingCalls(port, json, credential);
    }

    @BeforeEach
    void listening() {
        await().atMost(Duration.ofSeconds(30))
                .until(() -> listeners.getAllListenerContainers().stream()
                        .allMatch(c -> c.getAssignedPartitions() != null
                                && !c.getAssignedPartitions().isEmpty()));
    }

    /** Registers an endpoint at {@code path} of the receiver; answers {id, secret}. */
    JsonNode register(String tenant, String path, String... events) throws Exception {
        HttpResponse<String> created = calls().post(
                        tenant,
                        "/internal/webhooks",
                        json.writeValueAsString(Map.of("url", RECEIVER.url(path), "events", List.of(events))));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return json.readTree(created.body());
    }

    @Test
    void aDeliveryIsSignedSoThatTheSecretAloneVerifiesIt() throws Exception {
        String tenant = "t-" + UUID.randomUUID();
        JsonNode endpoint = register(tenant, "/signed", "sandbox.*", "command.finished");
        String secret = endpoint.path("secret").asText();
        assertThat(secret).startsWith("whsec_");
        assertThat(jdbc.queryForObject(
                        "SELECT sealed_secret FROM webhook_endpoint WHERE id = ?",
                        String.class,
                        endpoint.path("id").asText()))
                .doesNotContain(secret);

        SandboxStarted started =
                new SandboxStarted(UUID.randomUUID(), tenant, Instant.now(), 1, "sbx_one", "node-1", "key_a");
        kafka.send(Topics.SANDBOX_EVENTS, "sbx_one", started);
        kafka.send(Topics.COMMAND_EVENTS, "sbx_one", finished(tenant, "sbx_one"));
        // not asked for: a quota warning
        kafka.send(Topics.QUOTA_EVENTS, tenant, warning(tenant));

        await().atMost(Duration.ofSeconds(20))
                .until(() -> RECEIVER.at("/signed").size() >= 2);
        Receiver.Received got = RECEIVER.at("/signed").stream()
                .filter(r -> "sandbox.started".equals(r.eventType()))
                .findFirst()
                .orElseThrow();
        assertThat(got.eventId()).isEqualTo("evt_" + started.eventId());
        assertThat(verified(secret, got.signature(), got.body())).isTrue();
        assertThat(verified("whsec_another", got.signature(), got.body())).isFalse();
        JsonNode body = json.readTree(got.body());
        assertThat(body.path("id").asText()).isEqualTo(got.eventId());
        assertThat(body.path("type").asText()).isEqualTo("sandbox.started");
        assertThat(body.path("tenantId").asText()).isEqualTo(tenant);
        assertThat(body.path("data").path("sandboxId").asText()).isEqualTo("sbx_one");
        assertThat(Instant.parse(body.path("createdAt").asText())).isEqualTo(started.occurredAt());
        JsonNode command = json.readTree(RECEIVER.at("/signed").stream()
                .filter(r -> "command.finished".equals(r.eventType()))
                .findFirst()
                .orElseThrow()
                .body());
        assertThat(command.path("data").path("exitCode").asInt()).isEqualTo(3);
        assertThat(command.path("data").has("stdout")).isFalse();

        // a rotated secret signs what comes next; the old one no longer verifies
        String rotated = calls().ok(calls().post(
                                tenant,
                                "/internal/webhooks/" + endpoint.path("id").asText() + "/rotate-secret",
                                ""))
                .path("secret")
                .asText();
        assertThat(rotated).startsWith("whsec_").isNotEqualTo(secret);
        SandboxKilled killed =
                new SandboxKilled(UUID.randomUUID(), tenant, Instant.now(), 1, "sbx_one", "requested", "key_a");
        kafka.send(Topics.SANDBOX_EVENTS, "sbx_one", killed);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> RECEIVER.at("/signed").stream().anyMatch(r -> "sandbox.ended".equals(r.eventType())));
        Receiver.Received ended = RECEIVER.at("/signed").stream()
                .filter(r -> "sandbox.ended".equals(r.eventType()))
                .findFirst()
                .orElseThrow();
        assertThat(verified(rotated, ended.signature(), ended.body())).isTrue();
        assertThat(verified(secret, ended.signature(), ended.body())).isFalse();
        assertThat(RECEIVER.at("/signed")).noneMatch(r -> "usage.threshold".equals(r.eventType()));
    }

    @Test
    void aReceiverThatAnswers500IsRetriedWithTheSameEventIdUntilItTakesIt() throws Exception {
        String tenant = "t-" + UUID.randomUUID();
        String id = register(tenant, "/flaky", "usage.threshold").path("id").asText();
        RECEIVER.failNext("/flaky", 2);
        QuotaWarningReached warning = warning(tenant);
        kafka.send(Topics.QUOTA_EVENTS, tenant, warning);

        await().atMost(Duration.ofSeconds(20)).until(() -> RECEIVER.at("/flaky").size() >= 3);
        List<Receiver.Received> attempts = RECEIVER.at("/flaky");
        assertThat(attempts).extracting(Receiver.Received::eventId).containsOnly("evt_" + warning.eventId());
        // backed off: 200 ms, then 400 ms
        assertThat(attempts.get(2).atMillis() - attempts.get(0).atMillis()).isGreaterThanOrEqualTo(500);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode delivery = calls().getOk(tenant, "/internal/webhooks/" + id + "/deliveries")
                    .path("data")
                    .get(0);
            assertThat(delivery.path("status").asText()).isEqualTo("delivered");
            assertThat(delivery.path("attempts").asInt()).isEqualTo(3);
            assertThat(delivery.path("lastStatusCode").asInt()).isEqualTo(200);
        });
        Thread.sleep(1000);
        assertThat(RECEIVER.at("/flaky")).hasSize(3);
    }

    @Test
    void sourceRecordsReadAgainGiveNoSecondDeliveryOfAnEvent() throws Exception {
        String tenant = "t-" + UUID.randomUUID();
        String id = register(tenant, "/once", "*").path("id").asText();
        List<PlatformEvent> events = List.of(
                new SandboxStarted(UUID.randomUUID(), tenant, Instant.now(), 1, "sbx_a", "node-1", "key_a"),
                new SandboxStarted(UUID.randomUUID(), tenant, Instant.now(), 1, "sbx_b", "node-1", "key_a"),
                finished(tenant, "sbx_a"));
        for (int copy = 0; copy < 3; copy++) {
            for (PlatformEvent event : events) {
                kafka.send(
                        event instanceof CommandFinished ? Topics.COMMAND_EVENTS : Topics.SANDBOX_EVENTS,
                        event.resourceId(),
                        event);
            }
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> RECEIVER.at("/once").size() >= 3);
        Thread.sleep(1500);
        Map<String, Long> perEvent = RECEIVER.at("/once").stream()
                .collect(Collectors.groupingBy(Receiver.Received::eventId, Collectors.counting()));
        assertThat(perEvent)
                .hasSize(3)
                .allSatisfy((event, count) -> assertThat(count).isEqualTo(1));
        assertThat(jdbc.queryForObject("SELECT count(*) FROM webhook_delivery WHERE endpoint_id = ?", Long.class, id))
                .isEqualTo(3);
    }

    @Test
    void pendingDeliveriesWaitInPostgresqlWhileNothingSendsThem() throws Exception {
        String tenant = "t-" + UUID.randomUUID();
        String id = register(tenant, "/durable", "sandbox.started").path("id").asText();
        dispatcher.stop();
        try {
            kafka.send(
                    Topics.SANDBOX_EVENTS,
                    "sbx_d",
                    new SandboxStarted(UUID.randomUUID(), tenant, Instant.now(), 1, "sbx_d", "node-1", "key_a"));
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> jdbc.queryForObject(
                                    "SELECT count(*) FROM webhook_delivery WHERE endpoint_id = ? AND status = 'pending'",
                                    Long.class,
                                    id)
                            == 1);
            Thread.sleep(500);
            assertThat(RECEIVER.at("/durable")).isEmpty();
        } finally {
            dispatcher.start();
        }
        await().atMost(Duration.ofSeconds(10))
                .until(() -> RECEIVER.at("/durable").size() == 1);
    }

    @Test
    void billingsOwnEventsReachEndpointsThatAskForThem() throws Exception {
        String tenant = "t-" + UUID.randomUUID();
        register(tenant, "/money", "credits.low", "invoice.finalized");
        jdbc.update(
                "INSERT INTO credit_ledger (tenant_id, kind, amount_usd, reference, occurred_at) VALUES (?, 'credit_grant', 10, 'test', now())",
                tenant);
        // $18.33 of usage: past 100 % of the grant at once, so one credits.low (level exhausted), whatever else was
        // granted
        kafka.send(Topics.RATED_USAGE, tenant, rated(tenant, "p1", utc(2026, 11, 2), 550_000));
        await().atMost(Duration.ofSeconds(20))
                .until(() -> RECEIVER.at("/money").stream().anyMatch(r -> "credits.low".equals(r.eventType())));
        JsonNode low = json.readTree(RECEIVER.at("/money").get(0).body());
        assertThat(low.path("data").path("availableUsd").decimalValue()).isLessThan(new BigDecimal("2"));

        String invoice = calls().getOk(tenant, "/internal/billing/invoices")
                .path("items")
                .get(0)
                .path("id")
                .asText();
        calls().ok(calls().post(tenant, "/internal/billing/invoices/" + invoice + "/finalize", ""));
        await().atMost(Duration.ofSeconds(20))
                .until(() -> RECEIVER.at("/money").stream().anyMatch(r -> "invoice.finalized".equals(r.eventType())));
        // more usage while already low tells nothing more
        kafka.send(Topics.RATED_USAGE, tenant, rated(tenant, "p1", utc(2026, 11, 9), 60));
        Thread.sleep(1500);
        assertThat(RECEIVER.at("/money"))
                .filteredOn(r -> "credits.low".equals(r.eventType()))
                .hasSize(1);
    }

    @Test
    void badInputIsA400InTheErrorShapeAndRegistersNothing() throws Exception {
        String tenant = "t-" + UUID.randomUUID();
        Map<String, String> bodies = Map.of(
                "{\"url\":\"ftp://example.com/hook\",\"events\":[\"*\"]}",
                "invalid_webhook_url",
                "{\"url\":\"http://127.0.0.1:9/" + "a".repeat(2100) + "\",\"events\":[\"*\"]}",
                "webhook_url_too_long",
                "{\"url\":\"http://user:pw@127.0.0.1:9/\",\"events\":[\"*\"]}",
                "invalid_webhook_url",
                "{\"events\":[\"*\"]}",
                "invalid_webhook_url",
                "{\"url\":\"" + RECEIVER.url("/x") + "\",\"events\":[]}",
                "invalid_webhook_events",
                "{\"url\":\"" + RECEIVER.url("/x") + "\",\"events\":[\"sandbox.exploded\"]}",
                "invalid_webhook_events",
                "{\"url\":\"http://127.0.0.1:2/\",\"events\":[\"*\"]}",
                "webhook_target_refused",
                "{\"url\":\"not json",
                "invalid_json");
        for (Map.Entry<String, String> bad : bodies.entrySet()) {
            HttpResponse<String> answer = calls().post(tenant, "/internal/webhooks", bad.getKey());
            assertThat(answer.statusCode()).as(bad.getKey()).isEqualTo(400);
            assertThat(json.readTree(answer.body()).path("error").path("code").asText())
                    .as(bad.getKey())
                    .isEqualTo(bad.getValue());
        }
        assertThat(calls().getOk(tenant, "/internal/webhooks").path("data")).isEmpty();

        // another tenant's endpoint is not found, for every route
        String id = register(tenant, "/mine", "*").path("id").asText();
        String other = "t-" + UUID.randomUUID();
        assertThat(calls().get(other, "/internal/webhooks/" + id + "/deliveries")
                        .statusCode())
                .isEqualTo(404);
        assertThat(calls().post(other, "/internal/webhooks/" + id + "/rotate-secret", "")
                        .statusCode())
                .isEqualTo(404);
        assertThat(calls().delete(other, "/internal/webhooks/" + id).statusCode())
                .isEqualTo(404);
        assertThat(calls().delete(tenant, "/internal/webhooks/" + id).statusCode())
                .isEqualTo(204);
        assertThat(calls().get(tenant, "/internal/webhooks/" + id + "/deliveries?limit=0")
                        .statusCode())
                .isEqualTo(404);
    }

    /**
     * What a receiver does: the header's t, and v1 recomputed from "t.body" with the secret (the system
     * test checks the same with its own HMAC code, as the README shows a receiver doing).
     */
    static boolean verified(String secret, String header, String body) {
        long t = Long.parseLong(header.substring("t=".length(), header.indexOf(',')));
        return header.equals(WebhookSignature.header(secret, t, body))
                && Math.abs(Instant.now().getEpochSecond() - t) < 300;
    }

    static CommandFinished finished(String tenant, String sandbox) {
        Instant now = Instant.now();
        return new CommandFinished(
                UUID.randomUUID(),
                tenant,
                now,
                1,
                "cmd_" + UUID.randomUUID(),
                sandbox,
                3,
                "secret output",
                "",
                false,
                false,
                false,
                now.minusMillis(20),
                now,
                20,
                "key_a");
    }

    static QuotaWarningReached warning(String tenant) {
        return new QuotaWarningReached(
                UUID.randomUUID(),
                tenant,
                Instant.now(),
                1,
                null,
                "amountUsd",
                new BigDecimal("8.10"),
                new BigDecimal("10.00"),
                "2026-11-01");
    }
}
