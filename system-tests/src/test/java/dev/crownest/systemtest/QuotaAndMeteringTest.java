package dev.crownest.systemtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crownest.contracts.event.PlatformEvent;
import dev.crownest.contracts.event.Topics;
import dev.crownest.contracts.event.UsageSampled;
import dev.crownest.sdk.CrowNest;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Quotas, hard caps and exactly-once metering on the whole stack, through the public API. */
class QuotaAndMeteringTest {
    private static CrowNest tenant;
    private static CrowNest operator;

    @BeforeAll
    static void connect() {
        tenant = SystemUnderTest.client();
        operator = SystemUnderTest.operator();
    }

    @Test
    void aCreateOverTheProjectsConcurrencyQuotaIs429AndCreatesNothing() {
        String project = SystemUnderTest.createProject(
                "default", "conc-" + UUID.randomUUID().toString().substring(0, 8));
        var quota = operator.http()
                .send("PUT", "/v1/quotas?tenantId=default&projectId=" + project, Map.of("maxConcurrentSandboxes", 1));
        assertThat(quota.status()).as(quota.text()).isEqualTo(200);
        assertThat(quota.json().path("maxConcurrentSandboxes").asInt()).isEqualTo(1);
        // a key reads its own tenant's quotas, and cannot change them
        assertThat(tenant.http()
                        .send("GET", "/v1/quotas?projectId=" + project)
                        .json()
                        .path("maxConcurrentSandboxes")
                        .asInt())
                .isEqualTo(1);
        assertThat(tenant.http()
                        .send("PUT", "/v1/quotas?tenantId=default", Map.of("maxConcurrentSandboxes", 1000))
                        .status())
                .isEqualTo(403);

        var first = tenant.http().send("POST", "/v1/sandboxes", Map.of("template", "base", "projectId", project));
        assertThat(first.status()).as(first.text()).isEqualTo(201);
        var second = tenant.http().send("POST", "/v1/sandboxes", Map.of("template", "base", "projectId", project));
        assertThat(second.status()).as(second.text()).isEqualTo(429);
        assertThat(second.json().path("error").path("code").asText()).isEqualTo("concurrency_quota_exceeded");
        assertThat(second.json().path("error").path("requestId").asText()).startsWith("req_");
        assertThat(tenant.http()
                        .send("GET", "/v1/sandboxes?projectId=" + project)
                        .json()
                        .path("data"))
                .hasSize(1);

        tenant.http().send("DELETE", "/v1/sandboxes/" + first.field("id"));
        // the kill reaches metering over Kafka; then the slot is free again
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(300))
                .until(() -> {
                    var again = tenant.http()
                            .send("POST", "/v1/sandboxes", Map.of("template", "base", "projectId", project));
                    if (again.status() == 201) {
                        tenant.http().send("DELETE", "/v1/sandboxes/" + again.field("id"));
                        return true;
                    }
                    return false;
                });
    }

    @Test
    void aShortSandboxIsBilledEveryStartedSecondOfItsLife() throws Exception {
        try (TopicTail lifecycle = TopicTail.fromNow(SystemUnderTest.kafka(), Topics.SANDBOX_EVENTS)) {
            // 1 vCPU and 512 MB: one compute unit, so each second billed is one compute_unit_second
            var created =
                    tenant.http().send("POST", "/v1/sandboxes", Map.of("template", "base", "cpu", 1, "memoryMb", 512));
            assertThat(created.status()).as(created.text()).isEqualTo(201);
            String id = created.field("id");
            var ran = tenant.http().send("POST", "/v1/sandboxes/" + id + "/commands", Map.of("cmd", "true"));
            assertThat(ran.status()).as(ran.text()).isEqualTo(200);
            assertThat(tenant.http().send("DELETE", "/v1/sandboxes/" + id).status())
                    .isEqualTo(200);
            // the rule: the ceiling of its running interval, at least one second (sub-second on a quiet machine)
            Map<String, Instant> at = new HashMap<>();
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                for (TopicTail.Received r : lifecycle.poll(Duration.ofMillis(200))) {
                    if (id.equals(r.event().path("sandboxId").asText())) {
                        at.put(
                                r.type(),
                                Instant.parse(r.event().path("occurredAt").asText()));
                    }
                }
                return at.containsKey("SandboxStarted") && at.containsKey("SandboxKilled");
            });
            long nanos = Duration.between(at.get("SandboxStarted"), at.get("SandboxKilled"))
                    .toNanos();
            long expected = Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L);
            System.out.printf("short sandbox: ran %d ms, billed %d s%n", nanos / 1_000_000, expected);
            await().atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(300))
                    .untilAsserted(() -> assertThat(usageOf(id)).isEqualByComparingTo(BigDecimal.valueOf(expected)));
            // and it stays so: the node's samples of those seconds are the same seconds
            await().during(Duration.ofSeconds(2))
                    .atMost(Duration.ofSeconds(4))
                    .untilAsserted(() -> assertThat(usageOf(id)).isEqualByComparingTo(BigDecimal.valueOf(expected)));
        }
    }

    private static BigDecimal usageOf(String sandboxId) {
        return tenant.http()
                .send("GET", "/v1/usage?sandboxId=" + sandboxId)
                .json()
                .path("totals")
                .path("computeUnitSeconds")
                .decimalValue();
    }

    @Test
    void aSandboxThatBreachesAHardCapIsKilledWithinOneSecond() throws Exception {
        String project = SystemUnderTest.createProject(
                "default", "cap-" + UUID.randomUUID().toString().substring(0, 8));
        assertThat(operator.http()
                        .send(
                                "PUT",
                                "/v1/quotas?tenantId=default&projectId=" + project,
                                Map.of("hardCapComputeUnitSeconds", 3))
                        .status())
                .isEqualTo(200);
        try (TopicTail events =
                TopicTail.fromNow(SystemUnderTest.kafka(), Topics.QUOTA_EVENTS, Topics.SANDBOX_EVENTS)) {
            var created = tenant.http()
                    .send(
                            "POST",
                            "/v1/sandboxes",
                            Map.of("template", "base", "projectId", project, "cpu", 1, "memoryMb", 512));
            assertThat(created.status()).as(created.text()).isEqualTo(201);
            String id = created.field("id");
            assertThat(SystemUnderTest.runningOnNode()).contains(id);
            HardCapKill kill = HardCapKill.await(events, project, id, Duration.ofSeconds(30));
            System.out.printf(
                    "hard cap: breach second ended %s, breach %s, killed +%d ms, stopped on node +%d ms%n",
                    kill.breach().path("breachSecond").asText(),
                    kill.breachAt(),
                    kill.breachToKilledMs(),
                    kill.breachToStoppedMs());
            assertThat(kill.breachToKilledMs()).as("breach to SandboxKilled").isLessThanOrEqualTo(1000);
            assertThat(kill.breachToStoppedMs())
                    .as("breach to the sandbox stopped on the node")
                    .isLessThanOrEqualTo(1000);
            assertThat(kill.killed().path("actor").asText()).isEqualTo("system:quota");
            assertThat(tenant.sandboxes().get(id).status()).isEqualTo("killed");
            // spend stopped: the cap plus at most the seconds in flight, every started second billed
            JsonNode usage =
                    tenant.http().send("GET", "/v1/usage?sandboxId=" + id).json();
            assertThat(usage.path("totals").path("computeUnitSeconds").decimalValue())
                    .isBetween(new BigDecimal("3"), new BigDecimal("6"));
            // and creates in the bucket are refused until the cap is raised
            var refused = tenant.http().send("POST", "/v1/sandboxes", Map.of("template", "base", "projectId", project));
            assertThat(refused.status()).as(refused.text()).isEqualTo(402);
            assertThat(refused.json().path("error").path("code").asText()).isEqualTo("hard_cap_reached");
            // the kill is audited with who did it
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> tenant.http()
                            .send("GET", "/v1/audit/events?resourceId=" + id)
                            .text()
                            .contains("system:quota"));
        }
    }

    @Test
    void meteringKilledMidBatchAndRestartedCountsEverySecondExactlyOnce() throws Exception {
        String tenantId = "t_crash_" + UUID.randomUUID().toString().substring(0, 8);
        int sandboxes = 500;
        int seconds = 200;
        long total = (long) sandboxes * seconds;
        long base = Instant.parse("2026-11-24T00:00:00Z").getEpochSecond();
        long began = System.nanoTime();
        // produced while metering works (a faster metering had the whole backlog done before a kill that
        // waited for the producer), so the kill lands mid-way
        CompletableFuture<Void> produced = CompletableFuture.runAsync(() -> {
            try (KafkaProducer<String, PlatformEvent> producer = JsonEvents.producer(SystemUnderTest.kafka())) {
                for (int s = 0; s < seconds; s++) {
                    for (int b = 0; b < sandboxes; b++) {
                        String sandbox = tenantId + "_sbx_" + b;
                        UUID eventId =
                                UUID.nameUUIDFromBytes((sandbox + ":" + (base + s)).getBytes(StandardCharsets.UTF_8));
                        producer.send(new ProducerRecord<>(
                                Topics.USAGE_SAMPLES,
                                sandbox,
                                new UsageSampled(
                                        eventId,
                                        tenantId,
                                        Instant.now(),
                                        1,
                                        sandbox,
                                        "prj_crash",
                                        "node-test",
                                        base + s,
                                        1,
                                        2048,
                                        0,
                                        0)));
                    }
                }
            }
        });
        long pid = Long.parseLong(
                Files.readString(Path.of(SystemUnderTest.env("CROWNEST_HOME"), "pids", "metering-service.pid"))
                        .trim());
        // kill -9 while it is working through the backlog
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> rows(tenantId) > total / 10);
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        long atKill = rows(tenantId);
        System.out.printf(
                "crash test: %d of %d seconds metered when metering was killed, %.1f s in%n",
                atKill, total, (System.nanoTime() - began) / 1e9);
        produced.get(120, TimeUnit.SECONDS);
        assertThat(SystemUnderTest.crownest("restart", "metering-service")).isZero();
        assertThat(atKill).as("killed mid-way").isLessThan(total);
        System.out.printf("crash test: metering restarted, %.1f s in%n", (System.nanoTime() - began) / 1e9);
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> rows(tenantId) == total);
        System.out.printf("crash test: all %d seconds metered, %.1f s in%n", total, (System.nanoTime() - began) / 1e9);
        Thread.sleep(2000);
        try (Connection db = SystemUnderTest.database("crownest_metering");
                ResultSet rs = db.createStatement().executeQuery("""
                     SELECT sum(seconds), sum(bit_count(seconds_metered)), sum(compute_unit_seconds), sum(amount_usd),
                            (SELECT sum(compute_unit_seconds) FROM bucket_usage WHERE tenant_id = '%s' AND bucket = '')
                     FROM usage_hour WHERE tenant_id = '%s'""".formatted(tenantId, tenantId))) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(total);
            assertThat(rs.getLong(2)).isEqualTo(total);
            assertThat(rs.getBigDecimal(3)).isEqualByComparingTo(BigDecimal.valueOf(total));
            assertThat(rs.getBigDecimal(4))
                    .isEqualByComparingTo(new BigDecimal("0.0000333333").multiply(BigDecimal.valueOf(total)));
            assertThat(rs.getBigDecimal(5))
                    .as("the quota bucket advanced once per second")
                    .isEqualByComparingTo(BigDecimal.valueOf(total));
        }
        // billing's feed: every second in exactly one rated event (a resent event keeps its id)
        Map<String, Long> ratedSeconds = new HashMap<>();
        try (TopicTail rated = TopicTail.fromBeginning(SystemUnderTest.kafka(), Topics.RATED_USAGE)) {
            for (var r : rated.drain(Duration.ofSeconds(2))) {
                if (tenantId.equals(r.event().path("tenantId").asText())) {
                    ratedSeconds.put(
                            r.event().path("eventId").asText(),
                            r.event().path("seconds").asLong());
                }
            }
        }
        assertThat(ratedSeconds.values().stream().mapToLong(Long::longValue).sum())
                .isEqualTo(total);
    }

    @Test
    void usageExportsAsCsvAndJsonThroughTheApi() {
        var csv = tenant.http().send("GET", "/v1/usage/export?format=csv&granularity=day");
        assertThat(csv.status()).as(csv.text()).isEqualTo(200);
        assertThat(csv.text().lines().findFirst().orElse(""))
                .isEqualTo(
                        "periodStart,tenantId,projectId,sandboxId,pricingVersion,seconds,computeUnitSeconds,amountUsd");
        var json = tenant.http().send("GET", "/v1/usage/export?format=json&granularity=hour");
        assertThat(json.status()).isEqualTo(200);
        assertThat(json.json().path("rows").isArray()).isTrue();
        assertThat(tenant.http().send("GET", "/v1/usage/export?format=pdf").status())
                .isEqualTo(400);
    }

    private static long rows(String tenantId) throws Exception {
        try (Connection db = SystemUnderTest.database("crownest_metering");
                ResultSet rs = db.createStatement()
                        .executeQuery("SELECT coalesce(sum(seconds), 0) FROM usage_hour WHERE tenant_id = '" + tenantId
                                + "'")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
