package dev.crownest.metering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crownest.contracts.event.PlatformEvent;
import dev.crownest.contracts.event.Topics;
import dev.crownest.contracts.event.UsageSampled;
import dev.crownest.kit.auth.ServiceCredential;
import dev.crownest.testing.IntegrationTest;
import dev.crownest.testing.TestInfrastructure;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.MessageListenerContainer;

/** Samples from real Kafka into real PostgreSQL: each sandbox-second once, priced, queryable per tenant. */
@IntegrationTest(database = "metering_test_")
class MeteringIntegrationTest {
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

    @Value("${spring.kafka.consumer.group-id}")
    String groupId;

    private static UsageSampled sample(String tenant, String sandbox, long second, int vcpu, int memoryMb) {
        UUID id = UUID.nameUUIDFromBytes((sandbox + ":" + second).getBytes(StandardCharsets.UTF_8));
        return new UsageSampled(id, tenant, Instant.now(), 1, sandbox, "prj_1", "node-1", second, vcpu, memoryMb, 0, 0);
    }

    @Test
    void everySandboxSecondIsCountedOnceAndPricedAgainstThePinnedVersion() throws Exception {
        String tenant = "t-" + UUID.randomUUID();
        String sandbox = "sbx_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
        long hour = Instant.parse("2026-11-25T07:00:00Z").getEpochSecond();
        // 10 seconds of a 1 vCPU / 2 GiB sandbox (1 unit), each sent twice, plus 5 seconds of 2 vCPU (2 units) in the
        // next hour.
        for (int round = 0; round < 2; round++) {
            for (int s = 0; s < 10; s++) {
                kafka.send(Topics.USAGE_SAMPLES, sandbox, sample(tenant, sandbox, hour + 3590 + s, 1, 2048));
            }
        }
        for (int s = 0; s < 5; s++) {
            kafka.send(Topics.USAGE_SAMPLES, sandbox, sample(tenant, sandbox, hour + 3600 + 100 + s, 2, 1024));
        }
        kafka.flush();

        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(jdbc.queryForObject(
                                "SELECT coalesce(sum(seconds), 0) FROM usage_hour WHERE tenant_id = ?",
                                Long.class,
                                tenant))
                        .isEqualTo(15));

        JsonNode usage = get(
                "/internal/usage?sandboxId=" + sandbox
                        + "&granularity=hour&from=2026-11-25T00:00:00Z&to=2026-11-26T00:00:00Z",
                tenant);
        assertThat(usage.path("rows")).hasSize(2);
        assertThat(usage.path("rows").get(0).path("period").asText()).isEqualTo("2026-11-25T07:00:00Z");
        assertThat(usage.path("rows").get(0).path("computeUnitSeconds").decimalValue())
                .isEqualByComparingTo("10");
        assertThat(usage.path("rows").get(1).path("computeUnitSeconds").decimalValue())
                .isEqualByComparingTo("10");
        JsonNode totals = usage.path("totals");
        assertThat(totals.path("computeUnitSeconds").decimalValue()).isEqualByComparingTo("20");
        assertThat(totals.path("pricingVersion").asText()).isEqualTo("2026-11-01");
        // $0.12 per unit-hour, each second rounded to 10 places: 10 x 0.0000333333 + 5 x 0.0000666667
        assertThat(totals.path("amount").decimalValue()).isEqualByComparingTo(new BigDecimal("0.0006666665"));

        JsonNode other = get(
                "/internal/usage?sandboxId=" + sandbox + "&from=2026-11-25T00:00:00Z&to=2026-11-26T00:00:00Z",
                "someone-else");
        assertThat(other.path("rows")).isEmpty();
    }

    @Test
    void replayingTheSampleStreamFromOffsetZeroTwiceChangesNoTotal() throws Exception {
        String tenant = "t-" + UUID.randomUUID();
        long base = Instant.parse("2026-11-20T10:00:00Z").getEpochSecond();
        for (int s = 0; s < 200; s++) {
            String sandbox = tenant + "_sbx_" + (s % 4); // sandbox ids are unique platform-wide
            kafka.send(Topics.USAGE_SAMPLES, sandbox, sample(tenant, sandbox, base + s / 4, 1, 2048));
        }
        kafka.flush();
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(jdbc.queryForObject(
                                "SELECT coalesce(sum(seconds), 0) FROM usage_hour WHERE tenant_id = ?",
                                Long.class,
                                tenant))
                        .isEqualTo(200));
        awaitCaughtUp();
        List<Map<String, Object>> totals = totals(tenant);
        assertThat(totals.get(0).get("cus")).isEqualTo(new BigDecimal("200.000000"));
        for (int round = 0; round < 2; round++) {
            MessageListenerContainer meter = listeners.getListenerContainer("usage-meter");
            meter.stop();
            try (Admin admin =
                    Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.kafka()))) {
                Map<TopicPartition, OffsetAndMetadata> zero = new HashMap<>();
                for (TopicPartition partition : partitions(admin)) {
                    zero.put(partition, new OffsetAndMetadata(0));
                }
                admin.alterConsumerGroupOffsets(groupId, zero).all().get();
            }
            jdbc.update("DELETE FROM consumer_offset WHERE consumer = 'usage-meter'");
            meter.start();
            awaitCaughtUp();
            assertThat(totals(tenant)).as("replay " + (round + 1)).isEqualTo(totals);
        }
        // every second reached billing exactly once, as rated spans
        assertThat(jdbc.queryForObject("SELECT count(*) FROM event_outbox", Long.class))
                .isZero();
    }

    @Test
    void exportStreamsCsvAndJsonRowsWithVersionAndAmount() throws Exception {
        String tenant = "t-" + UUID.randomUUID();
        long base = Instant.parse("2026-11-21T10:00:00Z").getEpochSecond();
        for (int s = 0; s < 7200; s += 60) { // one sample a minute for two hours, two sandboxes
            kafka.send(Topics.USAGE_SAMPLES, tenant + "_e1", sample(tenant, tenant + "_e1", base + s, 1, 2048));
            kafka.send(Topics.USAGE_SAMPLES, tenant + "_e2", sample(tenant, tenant + "_e2", base + s, 2, 1024));
        }
        kafka.flush();
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(jdbc.queryForObject(
                                "SELECT coalesce(sum(seconds), 0) FROM usage_hour WHERE tenant_id = ?",
                                Long.class,
                                tenant))
                        .isEqualTo(240));
        HttpResponse<String> csv =
                send("/internal/usage/export?from=2026-11-21T00:00:00Z&to=2026-11-22T00:00:00Z&format=csv", tenant);
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
        List<String> lines = csv.body().lines().toList();
        assertThat(lines.get(0))
                .isEqualTo(
                        "periodStart,tenantId,projectId,sandboxId,pricingVersion,seconds,computeUnitSeconds,amountUsd");
        assertThat(lines).hasSize(5); // 2 hours x 2 sandboxes
        assertThat(lines.get(1))
                .isEqualTo("2026-11-21T10:00:00Z," + tenant + ",prj_1," + tenant
                        + "_e1,2026-11-01,60,60.000000,0.0019999980");
        JsonNode exported = json.readTree(send(
                        "/internal/usage/export?from=2026-11-21T00:00:00Z&to=2026-11-22T00:00:00Z&format=json&granularity=day",
                        tenant)
                .body());
        assertThat(exported.path("rows")).hasSize(2);
        assertThat(exported.path("rows").get(1).path("computeUnitSeconds").decimalValue())
                .isEqualByComparingTo("240");
        assertThat(exported.path("rows").get(1).path("pricingVersion").asText()).isEqualTo("2026-11-01");
        assertThat(send("/internal/usage/export?format=xml", tenant).statusCode())
                .isEqualTo(400);
    }

    private List<Map<String, Object>> totals(String tenant) {
        return jdbc.queryForList("""
                SELECT (SELECT sum(compute_unit_seconds) FROM usage_hour WHERE tenant_id = ?) AS cus,
                       (SELECT sum(amount_usd) FROM usage_hour WHERE tenant_id = ?) AS amount,
                       (SELECT sum(compute_unit_seconds) FROM bucket_usage WHERE tenant_id = ?) AS bucket_cus,
                       (SELECT sum(seconds) FROM usage_hour) AS all_seconds""", tenant, tenant, tenant);
    }

    /** Waits until the stored position of every partition is the end of the topic. */
    private void awaitCaughtUp() throws Exception {
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.kafka()))) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (TopicPartition partition : partitions(admin)) {
                latest.put(partition, OffsetSpec.latest());
            }
            var ends = admin.listOffsets(latest).all().get();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> ends.entrySet().stream().allMatch(e -> {
                        List<Long> stored = jdbc.queryForList(
                                "SELECT next_offset FROM consumer_offset WHERE consumer = 'usage-meter' AND topic = ? AND partition = ?",
                                Long.class,
                                e.getKey().topic(),
                                e.getKey().partition());
                        return e.getValue().offset() == 0
                                || (!stored.isEmpty()
                                        && stored.get(0) >= e.getValue().offset());
                    }));
        }
    }

    private static List<TopicPartition> partitions(Admin admin) throws Exception {
        return admin
                .describeTopics(List.of(Topics.USAGE_SAMPLES))
                .allTopicNames()
                .get()
                .get(Topics.USAGE_SAMPLES)
                .partitions()
                .stream()
                .map(p -> new TopicPartition(Topics.USAGE_SAMPLES, p.partition()))
                .toList();
    }

    @Test
    void badParametersAre400InTheErrorShape() throws Exception {
        HttpResponse<String> res = send("/internal/usage?granularity=week", "t");
        assertThat(res.statusCode()).isEqualTo(400);
        assertThat(json.readTree(res.body()).path("error").path("code").asText())
                .isEqualTo("invalid_granularity");
        res = send("/internal/usage?from=yesterday", "t");
        assertThat(res.statusCode()).isEqualTo(400);
        assertThat(json.readTree(res.body()).path("error").path("code").asText())
                .isEqualTo("invalid_time_range");
    }

    private JsonNode get(String path, String tenant) throws Exception {
        HttpResponse<String> res = send(path, tenant);
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        return json.readTree(res.body());
    }

    private HttpResponse<String> send(String path, String tenant) throws Exception {
        return TestInfrastructure.getAsTenant(port, path, tenant, credential.token());
    }
}
