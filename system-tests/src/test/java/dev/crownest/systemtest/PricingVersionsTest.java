package dev.crownest.systemtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crownest.sdk.CrowNest;
import dev.crownest.sdk.RawResponse;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Pricing versions end to end (issue 14, item 6): the operator publishes a version and pins a signed-up tenant
 * to it while one of its sandboxes runs; the sandbox's seconds before the pin stay at the default version and
 * those after it are rated at the new one, as two rows of the usage export and two lines of the draft invoice.
 * Bad versions are 400, a duplicate 409, and neither keys nor tenant admins publish or pin.
 */
class PricingVersionsTest {
    private static final CrowNest OPERATOR = SystemUnderTest.operator();
    private static final String DEFAULT = "2026-11-01";

    @Test
    void usageBeforeAndAfterAPinAppearUnderBothVersionsInTheExportAndTheInvoice() throws Exception {
        JsonNode signedUp = SystemUnderTest.signUp("pricing");
        String tenantId = signedUp.path("tenantId").asText();
        CrowNest key = SystemUnderTest.withKey(signedUp.path("apiKey").asText());
        CrowNest admin = SystemUnderTest.withSession(signedUp.path("adminToken").asText());
        String version = "e2e-" + UUID.randomUUID().toString().substring(0, 8);

        RawResponse published = OPERATOR.http()
                .send("POST", "/v1/pricing-versions", Map.of("id", version, "usdPerComputeUnitHour", 0.36));
        assertThat(published.status()).as(published.text()).isEqualTo(201);
        assertThat(published.json().path("usdPerComputeUnitHour").decimalValue())
                .isEqualByComparingTo("0.36");
        assertThat(OPERATOR.http()
                        .send("GET", "/v1/pricing-versions")
                        .json()
                        .path("data")
                        .findValuesAsText("id"))
                .contains(DEFAULT, version);

        // bad input changes nothing; only the operator publishes and pins
        assertError(
                OPERATOR.http().send("POST", "/v1/pricing-versions", Map.of("id", version, "usdPerComputeUnitHour", 1)),
                409,
                "pricing_version_exists");
        assertError(
                OPERATOR.http()
                        .send(
                                "POST",
                                "/v1/pricing-versions",
                                Map.of("id", version + "-neg", "usdPerComputeUnitHour", -1)),
                400,
                "invalid_price");
        assertError(
                OPERATOR.http()
                        .send(
                                "POST",
                                "/v1/pricing-versions",
                                Map.of("id", version + "-nan", "usdPerComputeUnitHour", "cheap")),
                400,
                "invalid_price");
        assertThat(key.http()
                        .send("POST", "/v1/pricing-versions", Map.of("id", version + "-k", "usdPerComputeUnitHour", 0))
                        .status())
                .isEqualTo(403);
        assertThat(admin.http().send("GET", "/v1/pricing-versions").status()).isEqualTo(403);
        assertThat(admin.http()
                        .send("PUT", "/v1/tenants/" + tenantId + "/pricing", Map.of("pricingVersion", version))
                        .status())
                .isEqualTo(403);
        assertError(
                OPERATOR.http()
                        .send("PUT", "/v1/tenants/" + tenantId + "/pricing", Map.of("pricingVersion", "no-such")),
                404,
                "pricing_version_not_found");
        assertError(
                OPERATOR.http().send("PUT", "/v1/tenants/ten_nobody/pricing", Map.of("pricingVersion", version)),
                404,
                "tenant_not_found");

        // a sandbox runs across the pin
        RawResponse created = key.http().send("POST", "/v1/sandboxes", Map.of("template", "base"));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        String sandboxId = created.field("id");
        Thread.sleep(2500);
        RawResponse pinned =
                OPERATOR.http().send("PUT", "/v1/tenants/" + tenantId + "/pricing", Map.of("pricingVersion", version));
        assertThat(pinned.status()).as(pinned.text()).isEqualTo(200);
        assertThat(pinned.field("pricingVersion")).isEqualTo(version);
        Instant effective = Instant.parse(pinned.field("effectiveFrom"));
        await().atMost(Duration.ofSeconds(10)).until(() -> Instant.now().isAfter(effective.plusSeconds(2)));
        assertThat(key.http().send("DELETE", "/v1/sandboxes/" + sandboxId).status())
                .isEqualTo(200);

        // the export: the sandbox's seconds under both versions, each at its own price
        Map<String, JsonNode> exported = await().atMost(Duration.ofSeconds(20))
                .until(
                        () -> exportedByVersion(key, sandboxId),
                        rows -> rows.keySet().size() == 2);
        assertThat(exported.keySet()).containsExactlyInAnyOrder(DEFAULT, version);
        for (String v : exported.keySet()) {
            assertThat(exported.get(v).path("seconds").asLong()).as(v).isPositive();
        }
        // 1 vCPU / 2 GiB is one unit: $0.36 an hour is 0.0001 a second
        JsonNode after = exported.get(version);
        assertThat(after.path("amountUsd").decimalValue())
                .isEqualByComparingTo(
                        after.path("computeUnitSeconds").decimalValue().multiply(new BigDecimal("0.0001")));

        // the draft invoice: a line per version (billing may still be taking its partitions back after a test
        // before this one restarted it)
        JsonNode lines = await().atMost(Duration.ofSeconds(60))
                .until(
                        () -> draftLines(key),
                        l -> l.findValuesAsText("pricingVersion").containsAll(exported.keySet()));
        assertThat(lines.findValuesAsText("pricingVersion")).contains(DEFAULT, version);
    }

    /** The sandbox's export rows, added up per pricing version. */
    private static Map<String, JsonNode> exportedByVersion(CrowNest key, String sandboxId) {
        Map<String, JsonNode> rows = new HashMap<>();
        for (JsonNode row : key.http()
                .send("GET", "/v1/usage/export?format=json&granularity=day&sandboxId=" + sandboxId)
                .json()
                .path("rows")) {
            // a run across midnight has a row per day: add them up
            rows.merge(row.path("pricingVersion").asText(), row, (a, b) -> {
                ObjectNode sum = JsonNodeFactory.instance.objectNode();
                for (String field : new String[] {"seconds", "computeUnitSeconds", "amountUsd"}) {
                    sum.put(
                            field,
                            a.path(field).decimalValue().add(b.path(field).decimalValue()));
                }
                return sum;
            });
        }
        return rows;
    }

    private static JsonNode draftLines(CrowNest key) {
        for (JsonNode invoice :
                key.http().send("GET", "/v1/invoices?status=draft").json().path("items")) {
            return invoice.path("lines");
        }
        return JsonNodeFactory.instance.arrayNode();
    }

    private static void assertError(RawResponse response, int status, String code) {
        assertThat(response.status()).as(response.text()).isEqualTo(status);
        assertThat(response.json().path("error").path("code").asText()).isEqualTo(code);
    }
}
