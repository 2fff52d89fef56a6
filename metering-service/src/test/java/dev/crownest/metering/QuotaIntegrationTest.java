package dev.crownest.metering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crownest.contracts.event.PlatformEvent;
import dev.crownest.contracts.event.SandboxEvent;
import dev.crownest.contracts.event.TenantEvent;
import dev.crownest.contracts.event.Topics;
import dev.crownest.contracts.event.UsageSampled;
import dev.crownest.kit.auth.ServiceCredential;
import dev.crownest.testing.IntegrationTest;
import dev.crownest.testing.TestInfrastructure;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.KafkaTemplate;

/** Quota buckets against real PostgreSQL and Kafka: admission refusals, 80 % warnings, hard-cap breaches, bad input. */
@IntegrationTest(database = "quota_test_")
class QuotaIntegrationTest {
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

    @Test
    void admissionsAreRefusedPastConcurrencyRateAndLifetime() throws Exception {
        String tenant = "t-" + UUID.randomUUID();
        // a new tenant is on the free plan: 2 sandboxes, 2 compute units, an hour
        JsonNode quota = call("GET", "/internal/quotas", tenant, null, 200);
        assertThat(quota.path("plan").asText()).isEqualTo("free");
        assertThat(quota.path("maxConcurrentSandboxes").asInt()).isEqualTo(2);
        assertThat(quota.path("hardCapAmountUsd").isMissingNode()
                        || quota.path("hardCapAmountUsd").isNull())
                .as("the free plan's credit stops its spend in billing, not a cap here")
                .isTrue();

        assertThat(error(admit(tenant, "sbx_a", null, 1, 3_600_001), 429)).isEqualTo("lifetime_quota_exceeded");
        assertThat(error(admit(tenant, "sbx_a", null, 3, 60_000), 429)).isEqualTo("rate_quota_exceeded");
        assertThat(admit(tenant, "sbx_a", null, 1, 60_000).statusCode()).isEqualTo(200);
        assertThat(admit(tenant, "sbx_a", null, 1, 60_000).statusCode())
                .as("admitting again is a no-op")
                .isEqualTo(200);
        assertThat(admit(tenant, "sbx_b", null, 1, 60_000).statusCode()).isEqualTo(200);
        assertThat(error(admit(tenant, "sbx_c", null, 1, 60_000), 429)).isEqualTo("concurrency_quota_exceeded");

        // a sandbox that ended frees its slot
        kafka.send(
                        Topics.SANDBOX_EVENTS,
                        "sbx_a",
                        new SandboxEvent.SandboxKilled(
                                UUID.randomUUID(), tenant, Instant.now(), 1, "sbx_a", "requested", "key_1"))
                .get();
        await().atMost(Duration.ofSeconds(20))
                .until(() -> admit(tenant, "sbx_c", null, 1, 60_000).statusCode() == 200);
        // a create that was then rejected gives its admission back
        call("DELETE", "/internal/quotas/admissions/sbx_c", tenant, null, 204);
        assertThat(call("GET", "/internal/quotas", tenant, null, 200)
                        .path("usage")
                        .path("concurrentSandboxes")
                        .asInt())
                .isEqualTo(1);

        // an operator moves the tenant to pro (the Tenant aggregate's event), then narrows one project
        planChanged(tenant, "pro", Instant.now());
        await().atMost(Duration.ofSeconds(20))
                .until(() -> call("GET", "/internal/quotas", tenant, null, 200)
                                .path("maxConcurrentSandboxes")
                                .asInt()
                        == 20);
        JsonNode project = call("PUT", "/internal/quotas?projectId=p1", tenant, "{\"maxConcurrentSandboxes\":1}", 200);
        assertThat(project.path("maxConcurrentSandboxes").asInt()).isEqualTo(1);
        assertThat(project.path("hardCapAmountUsd").isMissingNode()
                        || project.path("hardCapAmountUsd").isNull())
                .isTrue();
        assertThat(admit(tenant, "sbx_p1", "p1", 1, 60_000).statusCode()).isEqualTo(200);
        assertThat(error(admit(tenant, "sbx_p2", "p1", 1, 60_000), 429)).isEqualTo("concurrency_quota_exceeded");
        assertThat(admit(tenant, "sbx_p3", "p2", 1, 60_000).statusCode())
                .as("another project is not limited")
                .isEqualTo(200);
    }

    @Test
    void aHardCapWarnsAt80PercentBreachesOnceAndThenRefusesCreates() throws Exception {
        String tenant = "t-" + UUID.randomUUID();
        String sandbox = "sbx_" + UUID.randomUUID().toString().substring(0, 8);
        call("PUT", "/internal/quotas?projectId=capped", tenant, "{\"hardCapComputeUnitSeconds\": 10}", 200);
        assertThat(admit(tenant, sandbox, "capped", 1, 600_000).statusCode()).isEqualTo(200);
        long now = Instant.now().getEpochSecond();
        for (int s = 0; s < 8; s++) {
            kafka.send(Topics.USAGE_SAMPLES, sandbox, sample(tenant, sandbox, "capped", now - 30 + s));
        }
        kafka.flush();
        List<JsonNode> events = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = quotaEvents()) {
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                poll(consumer, tenant, events);
                return events.stream().anyMatch(e -> e.path("type").asText().equals("QuotaWarningReached"));
            });
            for (int s = 8; s < 14; s++) { // crosses 10 and goes on: one breach only
                kafka.send(Topics.USAGE_SAMPLES, sandbox, sample(tenant, sandbox, "capped", now - 30 + s));
            }
            kafka.flush();
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                poll(consumer, tenant, events);
                return events.stream().anyMatch(e -> e.path("type").asText().equals("HardCapBreached"));
            });
            Thread.sleep(1500);
            poll(consumer, tenant, events);
        }
        List<JsonNode> breaches = events.stream()
                .filter(e -> e.path("type").asText().equals("HardCapBreached"))
                .toList();
        assertThat(breaches).hasSize(1);
        assertThat(breaches.get(0).path("projectId").asText()).isEqualTo("capped");
        assertThat(breaches.get(0).path("limit").asText()).isEqualTo("computeUnitSeconds");
        assertThat(breaches.get(0).path("used").decimalValue()).isGreaterThanOrEqualTo(new BigDecimal("10"));
        assertThat(events.stream().filter(e -> e.path("type").asText().equals("QuotaWarningReached")))
                .hasSize(1);

        assertThat(error(admit(tenant, "sbx_next", "capped", 1, 60_000), 402)).isEqualTo("hard_cap_reached");
        // raising the cap lets creates in again
        call("PUT", "/internal/quotas?projectId=capped", tenant, "{\"hardCapComputeUnitSeconds\": 1000}", 200);
        assertThat(admit(tenant, "sbx_next", "capped", 1, 60_000).statusCode()).isEqualTo(200);
    }

    @Test
    void secondsAfterASandboxEndedAreNotMetered() throws Exception {
        String tenant = "t-" + UUID.randomUUID();
        String sandbox = "sbx_" + UUID.randomUUID().toString().substring(0, 8);
        long start = Instant.now().getEpochSecond() - 100;
        assertThat(admit(tenant, sandbox, null, 1, 60_000).statusCode()).isEqualTo(200);
        kafka.send(
                Topics.SANDBOX_EVENTS,
                sandbox,
                new SandboxEvent.SandboxKilled(
                        UUID.randomUUID(),
                        tenant,
                        Instant.ofEpochSecond(start + 5, 400_000_000),
                        1,
                        sandbox,
                        "requested",
                        "key_1"));
        await().atMost(Duration.ofSeconds(20))
                .until(() -> jdbc.queryForObject(
                                "SELECT count(*) FROM sandbox_allocation WHERE sandbox_id = ? AND ended_at IS NOT NULL",
                                Long.class,
                                sandbox)
                        == 1);
        for (int s = 0; s < 10; s++) {
            kafka.send(Topics.USAGE_SAMPLES, sandbox, sample(tenant, sandbox, null, start + s));
        }
        kafka.flush();
        // seconds start..start+5 count (the kill came during start+5); the node's late samples after it do not
        await().atMost(Duration.ofSeconds(20))
                .until(() -> jdbc.queryForObject(
                                        "SELECT count(*) FROM consumer_offset WHERE consumer = 'usage-meter'",
                                        Long.class)
                                > 0
                        && jdbc.queryForObject(
                                        "SELECT coalesce(sum(seconds), 0) FROM usage_hour WHERE sandbox_id = ?",
                                        Long.class,
                                        sandbox)
                                == 6);
        Thread.sleep(1000);
        assertThat(jdbc.queryForObject("""
                SELECT max(hour + n) FROM usage_hour CROSS JOIN generate_series(0, 3599) AS s(n)
                WHERE sandbox_id = ? AND get_bit(seconds_metered, n) = 1""", Long.class, sandbox)).isEqualTo(start + 5);
    }

    @Test
    void badQuotaChangesAre400AndChangeNothing() throws Exception {
        String tenant = "t-" + UUID.randomUUID();
        assertThat(error(send("PUT", "/internal/quotas", tenant, "{\"maxSandboxes\": 3}"), 400))
                .isEqualTo("unknown_quota_field");
        assertThat(error(send("PUT", "/internal/quotas", tenant, "{\"maxConcurrentSandboxes\": -1}"), 400))
                .isEqualTo("invalid_quota");
        assertThat(error(send("PUT", "/internal/quotas", tenant, "{\"hardCapAmountUsd\": \"ten\"}"), 400))
                .isEqualTo("invalid_quota");
        assertThat(error(send("PUT", "/internal/quotas", tenant, "{\"plan\": \"pro\"}"), 400))
                .as("a plan is the Tenant aggregate's fact, never a quota field")
                .isEqualTo("plan_not_a_quota");
        assertThat(error(send("PUT", "/internal/quotas?projectId=p", tenant, "{\"plan\": \"pro\"}"), 400))
                .isEqualTo("plan_not_a_quota");
        assertThat(error(send("PUT", "/internal/quotas", tenant, "[1]"), 400)).isEqualTo("invalid_quota");
        assertThat(error(send("POST", "/internal/quotas/admissions", tenant, "{\"sandboxId\":\"x\"}"), 400))
                .isEqualTo("invalid_admission");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM quota_bucket WHERE tenant_id = ?", Long.class, tenant))
                .isZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM tenant_plan WHERE tenant_id = ?", Long.class, tenant))
                .isZero();
        assertThat(call("GET", "/internal/quotas", tenant, null, 200)
                        .path("plan")
                        .asText())
                .isEqualTo("free");
    }

    @Test
    void theTenantsPlanFollowsItsEventsAndAReplayNeverUndoesLaterChanges() throws Exception {
        String tenant = "t-" + UUID.randomUUID();
        Instant created = Instant.now().minusSeconds(60);
        TenantEvent.TenantCreated onTeam =
                new TenantEvent.TenantCreated(UUID.randomUUID(), tenant, created, 1, tenant, "team", "operator", null);
        kafka.send(Topics.KEY_EVENTS, tenant, onTeam).get();
        await().atMost(Duration.ofSeconds(20)).until(() -> plan(tenant).equals("team"));
        assertThat(call("GET", "/internal/quotas", tenant, null, 200)
                        .path("maxConcurrentSandboxes")
                        .asInt())
                .isEqualTo(200);
        planChanged(tenant, "pro", created.plusSeconds(10));
        await().atMost(Duration.ofSeconds(20)).until(() -> plan(tenant).equals("pro"));
        // the operator narrows the tenant bucket after the change
        call("PUT", "/internal/quotas", tenant, "{\"maxConcurrentSandboxes\": 7}", 200);

        // the creation again (redelivered) and a replay of the whole stream: nothing moves
        kafka.send(Topics.KEY_EVENTS, tenant, onTeam).get();
        planChanged(tenant, "team", created.plusSeconds(5)); // an older change, replayed late
        String marker = "t-" + UUID.randomUUID(); // a later event on the same partition: the ones before are applied
        kafka.send(
                        Topics.KEY_EVENTS,
                        tenant,
                        new TenantEvent.TenantCreated(
                                UUID.randomUUID(), marker, Instant.now(), 1, marker, "team", "operator", null))
                .get();
        await().atMost(Duration.ofSeconds(20)).until(() -> plan(marker).equals("team"));
        JsonNode quota = call("GET", "/internal/quotas", tenant, null, 200);
        assertThat(quota.path("plan").asText()).isEqualTo("pro");
        assertThat(quota.path("maxConcurrentSandboxes").asInt()).isEqualTo(7);
    }

    @Test
    void aTenantAdminCapsItsBucketsWithinItsPlanAndTheOperatorBeyond() throws Exception {
        String tenant = "t-" + UUID.randomUUID(); // on free: 2 sandboxes, an hour, 2 units, no amount cap
        String admin = "adm_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
        JsonNode project = call(
                "PUT",
                "/internal/quotas?projectId=web",
                tenant,
                admin,
                "{\"maxConcurrentSandboxes\": 1, \"hardCapAmountUsd\": 2.50, \"maxLifetimeMs\": 600000}",
                200);
        assertThat(project.path("maxConcurrentSandboxes").asInt()).isEqualTo(1);
        assertThat(project.path("hardCapAmountUsd").decimalValue()).isEqualByComparingTo("2.50");
        assertThat(call("PUT", "/internal/quotas", tenant, admin, "{\"hardCapAmountUsd\": 10}", 200)
                        .path("hardCapAmountUsd")
                        .decimalValue())
                .as("a cap where the plan has none is allowed")
                .isEqualByComparingTo("10");
        assertThat(admit(tenant, "sbx_w1", "web", 1, 60_000).statusCode()).isEqualTo(200);
        assertThat(error(admit(tenant, "sbx_w2", "web", 1, 60_000), 429)).isEqualTo("concurrency_quota_exceeded");

        for (String above : List.of(
                "{\"maxConcurrentSandboxes\": 3}",
                "{\"maxLifetimeMs\": 3600001}",
                "{\"rateComputeUnitsPerSecond\": 2.5}")) {
            assertThat(error(send("PUT", "/internal/quotas?projectId=web", tenant, admin, above), 403))
                    .as(above)
                    .isEqualTo("plan_limit_exceeded");
        }
        assertThat(error(send("PUT", "/internal/quotas", tenant, admin, "{\"maxConcurrentSandboxes\": null}"), 403))
                .as("no limit on the tenant bucket is above a plan that has one")
                .isEqualTo("plan_limit_exceeded");
        assertThat(error(
                        send("PUT", "/internal/quotas?projectId=web", tenant, admin, "{\"hardCapAmountUsd\": -1}"),
                        400))
                .isEqualTo("invalid_quota");
        assertThat(call("GET", "/internal/quotas?projectId=web", tenant, null, 200)
                        .path("maxConcurrentSandboxes")
                        .asInt())
                .as("refusals changed nothing")
                .isEqualTo(1);
        // the free plan has no compute-second cap: a tenant admin may set any
        assertThat(send(
                                "PUT",
                                "/internal/quotas?projectId=web",
                                tenant,
                                admin,
                                "{\"hardCapComputeUnitSeconds\": 99999}")
                        .statusCode())
                .isEqualTo(200);
        // the operator is bound by no plan
        assertThat(call("PUT", "/internal/quotas?projectId=web", tenant, "{\"maxConcurrentSandboxes\": 50}", 200)
                        .path("maxConcurrentSandboxes")
                        .asInt())
                .isEqualTo(50);
    }

    private void planChanged(String tenant, String plan, Instant at) throws Exception {
        kafka.send(
                        Topics.KEY_EVENTS,
                        tenant,
                        new TenantEvent.TenantPlanChanged(UUID.randomUUID(), tenant, at, 1, plan, null, "operator"))
                .get();
    }

    private String plan(String tenant) throws Exception {
        return call("GET", "/internal/quotas", tenant, null, 200).path("plan").asText();
    }

    static UsageSampled sample(String tenant, String sandbox, String project, long second) {
        UUID id = UUID.nameUUIDFromBytes((sandbox + ":" + second).getBytes(StandardCharsets.UTF_8));
        return new UsageSampled(id, tenant, Instant.now(), 1, sandbox, project, "node-1", second, 1, 2048, 0, 0);
    }

    private KafkaConsumer<String, String> quotaEvents() {
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        TestInfrastructure.kafka(),
                        ConsumerConfig.GROUP_ID_CONFIG,
                        "quota-test-" + UUID.randomUUID(),
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest"),
                new StringDeserializer(),
                new StringDeserializer());
        consumer.subscribe(List.of(Topics.QUOTA_EVENTS));
        return consumer;
    }

    private void poll(KafkaConsumer<String, String> consumer, String tenant, List<JsonNode> into) throws Exception {
        for (var record : consumer.poll(Duration.ofMillis(300))) {
            JsonNode event = json.readTree(record.value());
            if (tenant.equals(event.path("tenantId").asText())) {
                into.add(event);
            }
        }
    }

    private HttpResponse<String> admit(String tenant, String sandbox, String project, int vcpu, long ttlMs)
            throws Exception {
        Map<String, Object> body =
                new HashMap<>(Map.of("sandboxId", sandbox, "vcpu", vcpu, "memoryMb", 512, "ttlMs", ttlMs));
        if (project != null) {
            body.put("projectId", project);
        }
        return send("POST", "/internal/quotas/admissions", tenant, json.writeValueAsString(body));
    }

    private String error(HttpResponse<String> res, int status) throws Exception {
        assertThat(res.statusCode()).as(res.body()).isEqualTo(status);
        return json.readTree(res.body()).path("error").path("code").asText();
    }

    private JsonNode call(String method, String path, String tenant, String body, int status) throws Exception {
        return call(method, path, tenant, "operator", body, status);
    }

    private JsonNode call(String method, String path, String tenant, String actor, String body, int status)
            throws Exception {
        HttpResponse<String> res = send(method, path, tenant, actor, body);
        assertThat(res.statusCode()).as(res.body()).isEqualTo(status);
        return res.body().isEmpty() ? null : json.readTree(res.body());
    }

    private HttpResponse<String> send(String method, String path, String tenant, String body) throws Exception {
        return send(method, path, tenant, "operator", body);
    }

    private HttpResponse<String> send(String method, String path, String tenant, String actor, String body)
            throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        credential
                                .sign(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)))
                                .header("X-CrowNest-Tenant", tenant)
                                .header("X-CrowNest-Actor", actor)
                                .header("Content-Type", "application/json")
                                .method(
                                        method,
                                        body == null
                                                ? HttpRequest.BodyPublishers.noBody()
                                                : HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }
}
