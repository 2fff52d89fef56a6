package dev.crownest.systemtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crownest.sdk.CreateSandboxOptions;
import dev.crownest.sdk.CrowNest;
import dev.crownest.sdk.Sandbox;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Rated usage becomes an invoice the operator finalizes (credit applied) and voids (credit back, tombstone),
 * for a tenant that signed up (its free credit is granted at sign-up; the stack's own tenant has none).
 */
class BillingTest {

    @Test
    void usageReachesADraftInvoiceThatIsFinalizedAgainstTheCreditAndVoided() throws Exception {
        JsonNode signedUp = SystemUnderTest.signUp("billing");
        String tenantId = signedUp.path("tenantId").asText();
        CrowNest tenant = SystemUnderTest.withKey(signedUp.path("apiKey").asText());
        CrowNest operator = SystemUnderTest.operator();
        Sandbox sandbox = tenant.sandboxes().create(new CreateSandboxOptions().template("base"));
        Thread.sleep(3000);
        sandbox.kill();

        JsonNode draft = await().atMost(Duration.ofSeconds(20))
                .until(
                        () -> {
                            for (JsonNode invoice : tenant.http()
                                    .send("GET", "/v1/invoices?status=draft")
                                    .json()
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
        assertThat(tenant.http()
                        .send("POST", "/v1/invoices/" + id + "/finalize?tenantId=" + tenantId, Map.of())
                        .status())
                .isEqualTo(403);
        var finalized = operator.http().send("POST", "/v1/invoices/" + id + "/finalize?tenantId=" + tenantId, Map.of());
        assertThat(finalized.status()).as(finalized.text()).isEqualTo(200);
        assertThat(finalized.field("status")).isEqualTo("open");
        assertThat(finalized.field("number")).startsWith("CN-");
        JsonNode invoice = finalized.json();
        assertThat(invoice.path("totalUsd").decimalValue())
                .isEqualByComparingTo(invoice.path("subtotalUsd")
                        .decimalValue()
                        .subtract(invoice.path("creditAppliedUsd").decimalValue()));
        assertThat(invoice.path("creditAppliedUsd").decimalValue())
                .isEqualByComparingTo(invoice.path("subtotalUsd").decimalValue());
        assertThat(operator.http()
                        .send("POST", "/v1/invoices/" + id + "/finalize?tenantId=" + tenantId, Map.of())
                        .status())
                .isEqualTo(409);

        var voided = operator.http()
                .send("POST", "/v1/invoices/" + id + "/void?tenantId=" + tenantId, Map.of("reason", "system test"));
        assertThat(voided.status()).as(voided.text()).isEqualTo(200);
        assertThat(voided.field("status")).isEqualTo("void");
        JsonNode ledger = tenant.http().send("GET", "/v1/credits").json();
        assertThat(ledger.path("balanceUsd").decimalValue()).isLessThanOrEqualTo(new BigDecimal("10"));
        await().atMost(Duration.ofSeconds(15))
                .until(() -> tenant.http()
                                .send("GET", "/v1/audit/tombstones?resourceId=" + id)
                                .json()
                                .path("data")
                                .size()
                        == 1);
        assertThat(tenant.http().send("GET", "/v1/invoices/inv_doesnotexist").status())
                .isEqualTo(404);
    }
}
