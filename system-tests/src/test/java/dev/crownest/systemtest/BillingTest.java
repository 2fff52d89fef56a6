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
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
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
                                // a few seconds rate at a fraction of a cent: the line is there, its cents may be 0.00
                                if (invoice.path("lines").size() > 0
                                        && invoice.path("lines")
                                                        .get(0)
                                                        .path("ratedUsd")
                                                        .decimalValue()
                                                        .signum()
                                                > 0) {
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

        // the same invoice as a PDF, for the tenant's key; read back, it says what the JSON says
        var pdf = tenant.http().send("GET", "/v1/invoices/" + id, null, Map.of("accept", "application/pdf"));
        assertThat(pdf.status()).isEqualTo(200);
        assertThat(pdf.header("content-type")).startsWith("application/pdf");
        try (PDDocument document = Loader.loadPDF(pdf.bytes())) {
            assertThat(new PDFTextStripper().getText(document))
                    .contains("CrowNest invoice " + invoice.path("number").asText())
                    .contains("pricing 2026-11-01")
                    .containsPattern("Total due\\s+"
                            + invoice.path("totalUsd").decimalValue().setScale(2));
        }
        // and as CSV for finance: its lines, then subtotal, credit applied and total as the JSON has them
        var csv = tenant.http().send("GET", "/v1/invoices/" + id, null, Map.of("accept", "text/csv"));
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.header("content-type")).startsWith("text/csv");
        assertThat(csv.text().lines().filter(row -> row.startsWith("line,")))
                .hasSize(invoice.path("lines").size());
        assertThat(csv.text())
                .contains("\ntotal," + id + ",")
                .endsWith("," + invoice.path("totalUsd").decimalValue().setScale(2) + ",\n");
        assertThat(tenant.http()
                        .send("GET", "/v1/invoices/" + id, null, Map.of("accept", "*/*"))
                        .field("number"))
                .isEqualTo(invoice.path("number").asText());

        // credit notes are the operator's, and never credit more than the invoice charged
        String notes = "/v1/invoices/" + id + "/credit-notes?tenantId=" + tenantId;
        Map<String, Object> tooMuch = Map.of(
                "amountUsd", invoice.path("subtotalUsd").decimalValue().add(new BigDecimal("0.01")), "reason", "x");
        assertThat(tenant.http().send("POST", notes, tooMuch).status()).isEqualTo(403);
        var refused = operator.http().send("POST", notes, tooMuch);
        assertThat(refused.status()).as(refused.text()).isEqualTo(409);
        assertThat(refused.json().path("error").path("code").asText()).isEqualTo("credit_note_exceeds_invoice");
        assertThat(operator.http().send("GET", notes).json().path("items")).isEmpty();

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
