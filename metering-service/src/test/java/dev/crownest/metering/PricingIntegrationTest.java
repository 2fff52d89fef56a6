package dev.crownest.metering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crownest.contracts.event.PlatformEvent;
import dev.crownest.contracts.event.TenantEvent;
import dev.crownest.contracts.event.Topics;
import dev.crownest.contracts.event.UsageSampled;
import dev.crownest.kit.auth.ServiceCredential;
import dev.crownest.testing.IntegrationTest;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Pricing versions against real Kafka and PostgreSQL: the operator publishes one, a pin arrives as an event, the
 * seconds before it stay at the old version and those after it are rated at the new one, each second once; a
 * version that rated usage never changes.
 */
@IntegrationTest(database = "metering_pricing_test_")
class PricingIntegrationTest {
    private static final String DEFAULT = "2026-11-01";

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
    void usageBeforeThePinKeepsItsVersionAndUsageAfterItIsRatedAtTheNewOne() throws Exception {
        String tenant = "t-" + UUID.randomUUID();
        String sandbox = "sbx_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
        String version = "v-" + UUID.randomUUID().toString().substring(0, 8);
        JsonNode published = call("POST", "/internal/pricing-versions", """
                {"id": "%s", "usdPerComputeUnitHour": 0.24}""".formatted(version), 201);
        assertThat(published.path("usdPerComputeUnitHour").decimalValue()).isEqualByComparingTo("0.24");
        assertThat(published.path("vcpuPerUnit").decimalValue()).isEqualByComparingTo("1");
        assertThat(published.path("inUse").asBoolean()).isFalse();

        // ten seconds metered at the default version before the pin
        long before = Instant.now().getEpochSecond() - 30;
        for (int s = 0; s < 10; s++) {
            kafka.send(Topics.USAGE_SAMPLES, sandbox, sample(tenant, sandbox, before + s));
        }
        kafka.flush();
        awaitSeconds(tenant, 10);

        TenantEvent.TenantPricingPinned pinned = new TenantEvent.TenantPricingPinned(
                UUID.randomUUID(), tenant, Instant.now(), 1, version, DEFAULT, "operator");
        kafka.send(Topics.KEY_EVENTS, tenant, pinned).get();
        await().atMost(Duration.ofSeconds(20))
                .until(() -> version.equals(pin(tenant).path("pricingVersion").asText()));
        long effective =
                Instant.parse(pin(tenant).path("effectiveFrom").asText()).getEpochSecond();
        assertThat(effective).isGreaterThan(before + 9);

        // five seconds either side of the pin, all sent twice, and the first ten again: each second counts once
        for (int round = 0; round < 2; round++) {
            for (int s = -5; s < 5; s++) {
                kafka.send(Topics.USAGE_SAMPLES, sandbox, sample(tenant, sandbox, effective + s));
            }
            for (int s = 0; s < 10; s++) {
                kafka.send(Topics.USAGE_SAMPLES, sandbox, sample(tenant, sandbox, before + s));
            }
        }
        kafka.flush();
        awaitSeconds(tenant, 20);

        Map<String, JsonNode> byVersion = exportByVersion(tenant, before - 3600, effective + 3600);
        assertThat(byVersion.keySet()).containsExactlyInAnyOrder(DEFAULT, version);
        assertThat(byVersion.get(DEFAULT).path("seconds").asLong()).isEqualTo(15);
        assertThat(byVersion.get(version).path("seconds").asLong()).isEqualTo(5);
        // $0.24 per unit-hour: 0.0000666667 a second at 10 places; the default $0.12: 0.0000333333
        assertThat(byVersion.get(version).path("amountUsd").decimalValue())
                .isEqualByComparingTo(new BigDecimal("0.0003333335"));
        assertThat(byVersion.get(DEFAULT).path("amountUsd").decimalValue())
                .isEqualByComparingTo(new BigDecimal("0.0004999995"));

        // the same event again (a redelivery, a replay) adds no pin; a later one, back to the default, does
        kafka.send(Topics.KEY_EVENTS, tenant, pinned).get();
        kafka.send(
                        Topics.KEY_EVENTS,
                        tenant,
                        new TenantEvent.TenantPricingPinned(
                                UUID.randomUUID(), tenant, Instant.now(), 1, DEFAULT, version, "operator"))
                .get();
        await().atMost(Duration.ofSeconds(20))
                .until(() -> DEFAULT.equals(pin(tenant).path("pricingVersion").asText()));
        assertThat(jdbc.queryForList(
                        "SELECT pricing_version FROM tenant_pricing_pin WHERE tenant_id = ? ORDER BY effective_from",
                        String.class,
                        tenant))
                .containsExactly(DEFAULT, version, DEFAULT);
    }

    @Test
    void aVersionThatRatedUsageNeverChanges() throws Exception {
        String tenant = "t-" + UUID.randomUUID();
        String sandbox = "sbx_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
        String version = "v-" + UUID.randomUUID().toString().substring(0, 8);
        call("POST", "/internal/pricing-versions", """
                {"id": "%s", "usdPerComputeUnitHour": 0.5, "vcpuPerUnit": 2, "memoryMbPerUnit": 4096}""".formatted(version), 201);
        kafka.send(
                        Topics.KEY_EVENTS,
                        tenant,
                        new TenantEvent.TenantPricingPinned(
                                UUID.randomUUID(), tenant, Instant.now(), 1, version, DEFAULT, "operator"))
                .get();
        await().atMost(Duration.ofSeconds(20))
                .until(() -> version.equals(pin(tenant).path("pricingVersion").asText()));
        long effective =
                Instant.parse(pin(tenant).path("effectiveFrom").asText()).getEpochSecond();
        kafka.send(Topics.USAGE_SAMPLES, sandbox, sample(tenant, sandbox, effective + 1))
                .get();
        awaitSeconds(tenant, 1);

        JsonNode listed = call("GET", "/internal/pricing-versions", null, 200);
        JsonNode mine = null;
        for (JsonNode v : listed.path("data")) {
            if (v.path("id").asText().equals(version)) {
                mine = v;
            }
        }
        assertThat(mine).isNotNull();
        assertThat(mine.path("inUse").asBoolean()).isTrue();
        assertThat(error(call("POST", "/internal/pricing-versions", """
                        {"id": "%s", "usdPerComputeUnitHour": 0.01}""".formatted(version), 409)))
                .isEqualTo("pricing_version_exists");
        // not through any path: the database refuses it too
        assertThatThrownBy(() -> jdbc.update(
                        "UPDATE pricing_version SET usd_per_compute_unit_hour = 0.01 WHERE version = ?", version))
                .isInstanceOf(DataAccessException.class)
                .hasMessageContaining("cannot change");
        assertThatThrownBy(() -> jdbc.update("DELETE FROM pricing_version WHERE version = ?", version))
                .isInstanceOf(DataAccessException.class);
        assertThat(jdbc.queryForObject(
                        "SELECT usd_per_compute_unit_hour FROM pricing_version WHERE version = ?",
                        BigDecimal.class,
                        version))
                .isEqualByComparingTo("0.5");
        // 1 vCPU / 2 GiB at 2 vCPU / 4 GiB a unit is half a unit: $0.25 an hour
        assertThat(jdbc.queryForObject(
                        "SELECT amount_usd FROM usage_hour WHERE tenant_id = ?", BigDecimal.class, tenant))
                .isEqualByComparingTo("0.0000694444");
    }

    @Test
    void badVersionsAre400AndADuplicateIs409() throws Exception {
        String version = "v-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> bad = new HashMap<>();
        bad.put("{\"id\": \"%s\", \"usdPerComputeUnitHour\": -0.1}", "invalid_price");
        bad.put("{\"id\": \"%s\", \"usdPerComputeUnitHour\": \"abc\"}", "invalid_price");
        bad.put("{\"id\": \"%s\", \"usdPerComputeUnitHour\": \"0.12\"}", "invalid_price");
        bad.put("{\"id\": \"%s\"}", "invalid_price");
        bad.put("{\"id\": \"%s\", \"usdPerComputeUnitHour\": 0.123456789}", "invalid_price");
        bad.put("{\"id\": \"%s\", \"usdPerComputeUnitHour\": 1e12}", "invalid_price");
        bad.put("{\"id\": \"%s\", \"usdPerComputeUnitHour\": 0.1, \"vcpuPerUnit\": 0}", "invalid_price");
        bad.put("{\"id\": \"%s\", \"usdPerComputeUnitHour\": 0.1, \"colour\": 1}", "invalid_pricing_version");
        bad.put("{\"id\": \"a/b%s\", \"usdPerComputeUnitHour\": 0.1}", "invalid_pricing_version");
        bad.put("[\"%s\"]", "invalid_pricing_version");
        for (Map.Entry<String, String> body : bad.entrySet()) {
            assertThat(error(call(
                            "POST", "/internal/pricing-versions", body.getKey().formatted(version), 400)))
                    .as(body.getKey())
                    .isEqualTo(body.getValue());
        }
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM pricing_version WHERE version LIKE ?", Long.class, "%" + version))
                .isZero();
        call(
                "POST",
                "/internal/pricing-versions",
                "{\"id\": \"%s\", \"usdPerComputeUnitHour\": 0}".formatted(version),
                201);
        call(
                "POST",
                "/internal/pricing-versions",
                "{\"id\": \"%s\", \"usdPerComputeUnitHour\": 0}".formatted(version),
                409);
        assertThat(error(call("GET", "/internal/pricing-versions/nope-" + version, null, 404)))
                .isEqualTo("pricing_version_not_found");
    }

    private static UsageSampled sample(String tenant, String sandbox, long second) {
        return new UsageSampled(
                UUID.randomUUID(), tenant, Instant.now(), 1, sandbox, "prj_1", "node-1", second, 1, 2048, 0, 0);
    }

    private void awaitSeconds(String tenant, long seconds) {
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(jdbc.queryForObject(
                                "SELECT coalesce(sum(seconds), 0) FROM usage_hour WHERE tenant_id = ?",
                                Long.class,
                                tenant))
                        .isEqualTo(seconds));
    }

    private JsonNode pin(String tenant) throws Exception {
        return call("GET", "/internal/tenants/" + tenant + "/pricing", null, 200);
    }

    /** The export's rows for the range, one day wide, by pricing version. */
    private Map<String, JsonNode> exportByVersion(String tenant, long from, long to) throws Exception {
        HttpResponse<String> res = send(
                "GET",
                "/internal/usage/export?format=json&granularity=day&from=" + Instant.ofEpochSecond(from) + "&to="
                        + Instant.ofEpochSecond(to),
                tenant,
                null);
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        Map<String, JsonNode> rows = new HashMap<>();
        for (JsonNode row : json.readTree(res.body()).path("rows")) {
            // the range may span midnight: add the day rows of each version up
            rows.merge(
                    row.path("pricingVersion").asText(),
                    row,
                    (a, b) -> json.createObjectNode()
                            .put(
                                    "seconds",
                                    a.path("seconds").asLong()
                                            + b.path("seconds").asLong())
                            .put(
                                    "amountUsd",
                                    a.path("amountUsd")
                                            .decimalValue()
                                            .add(b.path("amountUsd").decimalValue())));
        }
        return rows;
    }

    private static String error(JsonNode body) {
        return body.path("error").path("code").asText();
    }

    private JsonNode call(String method, String path, String body, int status) throws Exception {
        HttpResponse<String> res = send(method, path, null, body);
        assertThat(res.statusCode()).as(method + " " + path + ": " + res.body()).isEqualTo(status);
        return json.readTree(res.body());
    }

    private HttpResponse<String> send(String method, String path, String tenant, String body) throws Exception {
        HttpRequest.Builder request = credential
                .sign(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)))
                .header("X-CrowNest-Actor", "operator")
                .header("Content-Type", "application/json")
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (tenant != null) {
            request.header("X-CrowNest-Tenant", tenant);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
