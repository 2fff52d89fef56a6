package dev.crownest.metering;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crownest.contracts.event.PlatformEvent;
import dev.crownest.contracts.event.Topics;
import dev.crownest.contracts.event.UsageSampled;
import dev.crownest.testing.DropsThrowawayDatabases;
import dev.crownest.testing.TestInfrastructure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Samples from real Kafka into real PostgreSQL: each sandbox-second once, priced, queryable per tenant. */
@ExtendWith(DropsThrowawayDatabases.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class MeteringIntegrationTest {
    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.register(registry, "metering_test_");
    }

    @LocalServerPort
    int port;
    @Autowired
    KafkaTemplate<String, PlatformEvent> kafka;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    ObjectMapper json;

    private static UsageSampled sample(String tenant, String sandbox, long second, int vcpu, int memoryMb) {
        UUID id = UUID.nameUUIDFromBytes((sandbox + ":" + second).getBytes(StandardCharsets.UTF_8));
        return new UsageSampled(id, tenant, Instant.now(), 1, sandbox, "prj_1", "node-1", second, vcpu, memoryMb, 0, 0);
    }

    @Test
    void everySandboxSecondIsCountedOnceAndPricedAgainstThePinnedVersion() throws Exception {
        String tenant = "t-" + UUID.randomUUID();
        String sandbox = "sbx_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
        long hour = Instant.parse("2026-11-25T07:00:00Z").getEpochSecond();
        // 10 seconds of a 1 vCPU / 2 GiB sandbox (1 unit), each sent twice, plus 5 seconds of 2 vCPU (2 units) in the next hour.
        for (int round = 0; round < 2; round++) {
            for (int s = 0; s < 10; s++) {
                kafka.send(Topics.USAGE_SAMPLES, sandbox, sample(tenant, sandbox, hour + 3590 + s, 1, 2048));
            }
        }
        for (int s = 0; s < 5; s++) {
            kafka.send(Topics.USAGE_SAMPLES, sandbox, sample(tenant, sandbox, hour + 3600 + 100 + s, 2, 1024));
        }
        kafka.flush();

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(jdbc.queryForObject("SELECT count(*) FROM usage_second WHERE tenant_id = ?", Long.class, tenant)).isEqualTo(15));

        JsonNode usage = get("/internal/usage?sandboxId=" + sandbox + "&granularity=hour&from=2026-11-25T00:00:00Z&to=2026-11-26T00:00:00Z", tenant);
        assertThat(usage.path("rows")).hasSize(2);
        assertThat(usage.path("rows").get(0).path("period").asText()).isEqualTo("2026-11-25T07:00:00Z");
        assertThat(usage.path("rows").get(0).path("computeUnitSeconds").decimalValue()).isEqualByComparingTo("10");
        assertThat(usage.path("rows").get(1).path("computeUnitSeconds").decimalValue()).isEqualByComparingTo("10");
        JsonNode totals = usage.path("totals");
        assertThat(totals.path("computeUnitSeconds").decimalValue()).isEqualByComparingTo("20");
        assertThat(totals.path("pricingVersion").asText()).isEqualTo("2026-11-01");
        // $0.12 per unit-hour, each second rounded to 10 places: 10 x 0.0000333333 + 5 x 0.0000666667
        assertThat(totals.path("amount").decimalValue()).isEqualByComparingTo(new BigDecimal("0.0006666665"));

        JsonNode other = get("/internal/usage?sandboxId=" + sandbox + "&from=2026-11-25T00:00:00Z&to=2026-11-26T00:00:00Z", "someone-else");
        assertThat(other.path("rows")).isEmpty();
    }

    @Test
    void badParametersAre400InTheErrorShape() throws Exception {
        HttpResponse<String> res = send("/internal/usage?granularity=week", "t");
        assertThat(res.statusCode()).isEqualTo(400);
        assertThat(json.readTree(res.body()).path("error").path("code").asText()).isEqualTo("invalid_granularity");
        res = send("/internal/usage?from=yesterday", "t");
        assertThat(res.statusCode()).isEqualTo(400);
        assertThat(json.readTree(res.body()).path("error").path("code").asText()).isEqualTo("invalid_time_range");
    }

    private JsonNode get(String path, String tenant) throws Exception {
        HttpResponse<String> res = send(path, tenant);
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        return json.readTree(res.body());
    }

    private HttpResponse<String> send(String path, String tenant) throws Exception {
        return TestInfrastructure.getAsTenant(port, path, tenant);
    }
}
