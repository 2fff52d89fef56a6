package dev.crownest.systemtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Rated usage becomes an invoice the operator finalizes (credit applied) and voids (credit back, tombstone). */
class BillingTest {

    @Test
    void usageReachesADraftInvoiceThatIsFinalizedAgainstTheCreditAndVoided() throws Exception {
        PlatformClient tenant = SystemUnderTest.client();
        PlatformClient operator = SystemUnderTest.operator();
        var created = tenant.post("/v1/sandboxes", Map.of("template", "base"));
        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        Thread.sleep(3000);
        tenant.delete("/v1/sandboxes/" + created.text("id"));

        JsonNode draft = await().atMost(Duration.ofSeconds(20))
                .until(
                        () -> {
                            for (JsonNode invoice : tenant.get("/v1/invoices?status=draft")
                                    .body()
                                    .path("items")) {
                                if (invoice.path("subtotalUsd").decimalValue().signum() > 0) {
                                    return invoice;
                                }
                            }
                            return null;
                        },
                        invoice -> invoice != null);
        String id = draft.path("id").asText();
        assertThat(draft.path("lines").get(0).path("pricingVersion").asText()).isEqualTo("2026-11-01");

        // keys never administer
        assertThat(tenant.post("/v1/invoices/" + id + "/finalize?tenantId=default", Map.of())
                        .status())
                .isEqualTo(403);
        var finalized = operator.post("/v1/invoices/" + id + "/finalize?tenantId=default", Map.of());
        assertThat(finalized.status()).as(finalized.raw()).isEqualTo(200);
        assertThat(finalized.text("status")).isEqualTo("open");
        assertThat(finalized.text("number")).startsWith("CN-");
        JsonNode invoice = finalized.body();
        assertThat(invoice.path("totalUsd").decimalValue())
                .isEqualByComparingTo(invoice.path("subtotalUsd")
                        .decimalValue()
                        .subtract(invoice.path("creditAppliedUsd").decimalValue()));
        assertThat(invoice.path("creditAppliedUsd").decimalValue())
                .isEqualByComparingTo(invoice.path("subtotalUsd").decimalValue());
        assertThat(operator.post("/v1/invoices/" + id + "/finalize?tenantId=default", Map.of())
                        .status())
                .isEqualTo(409);

        var voided = operator.post("/v1/invoices/" + id + "/void?tenantId=default", Map.of("reason", "system test"));
        assertThat(voided.status()).as(voided.raw()).isEqualTo(200);
        assertThat(voided.text("status")).isEqualTo("void");
        JsonNode ledger = tenant.get("/v1/credits").body();
        assertThat(ledger.path("balanceUsd").decimalValue()).isLessThanOrEqualTo(new BigDecimal("10"));
        await().atMost(Duration.ofSeconds(15))
                .until(() -> tenant.get("/v1/audit/tombstones?resourceId=" + id)
                                .body()
                                .path("data")
                                .size()
                        == 1);
        assertThat(tenant.get("/v1/invoices/inv_doesnotexist").status()).isEqualTo(404);
    }
}
