package dev.crownest.billing.invoice;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crownest.billing.BillingCalls;
import dev.crownest.contracts.event.PlatformEvent;
import dev.crownest.contracts.event.Topics;
import dev.crownest.contracts.event.UsageRated;
import dev.crownest.kit.auth.ServiceCredential;
import dev.crownest.testing.IntegrationTest;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * An invoice's PDF, read back with PDFBox's text extraction, says what its JSON says: each line at its
 * pricing version, charged in cents by the one rounding rule (half-even per line), and the totals.
 */
@IntegrationTest(database = "billing_test_")
class InvoiceDocumentIntegrationTest {

    @LocalServerPort
    int port;

    @Autowired
    ServiceCredential credential;

    @Autowired
    KafkaTemplate<String, PlatformEvent> kafka;

    @Autowired
    ObjectMapper json;

    @Autowired
    KafkaListenerEndpointRegistry listeners;

    @Test
    void aFinalizedInvoiceReadsBackFromItsPdfLineByLineToTheCent() throws Exception {
        BillingCalls calls = new BillingCalls(port, json, credential);
        String tenant = "t-" + UUID.randomUUID();
        long november = BillingCalls.utc(2026, 11, 3).toEpochSecond();
        // half a cent goes to the even cent: 0.125 → 0.12 (half-up would say 0.13), 0.135 → 0.14; the last two
        // spans share one line, rated 1.0050000000 and charged 1.00
        for (UsageRated rated : List.of(
                rated(tenant, "alpha", november, "2026-11-01", "0.1250000000"),
                rated(tenant, "beta", november + 100, "2026-11-01", "0.1350000000"),
                rated(tenant, "alpha", november + 200, "2026-11-20", "0.0049999999"),
                rated(tenant, "alpha", november + 300, "2026-11-20", "1.0000000001"))) {
            kafka.send(Topics.RATED_USAGE, tenant, rated);
        }
        kafka.flush();
        BillingCalls.awaitConsumed(kafka, listeners);
        String id = calls.getOk(tenant, "/internal/billing/invoices?period=2026-11")
                .path("items")
                .get(0)
                .path("id")
                .asText();
        JsonNode invoice = calls.ok(calls.post(tenant, "/internal/billing/invoices/" + id + "/finalize", ""));
        assertThat(invoice.path("lines").findValuesAsText("pricingVersion"))
                .containsExactlyInAnyOrder("2026-11-01", "2026-11-01", "2026-11-20");
        assertThat(invoice.path("lines").findValues("amountUsd"))
                .extracting(JsonNode::decimalValue)
                .usingComparatorForType(BigDecimal::compareTo, BigDecimal.class)
                .containsExactlyInAnyOrder(new BigDecimal("0.12"), new BigDecimal("0.14"), new BigDecimal("1.00"));
        assertThat(invoice.path("subtotalUsd").decimalValue()).isEqualByComparingTo("1.26");
        assertThat(invoice.path("totalUsd").decimalValue()).isEqualByComparingTo("1.26"); // no credit granted

        HttpResponse<byte[]> pdf = calls.get(tenant, "/internal/billing/invoices/" + id, "application/pdf");
        assertThat(pdf.statusCode()).isEqualTo(200);
        assertThat(pdf.headers().firstValue("Content-Type")).hasValue("application/pdf");
        assertThat(pdf.headers().firstValue("Content-Disposition"))
                .hasValueSatisfying(
                        d -> assertThat(d).contains(invoice.path("number").asText() + ".pdf"));
        String text;
        try (PDDocument document = Loader.loadPDF(pdf.body())) {
            text = new PDFTextStripper().getText(document);
        }
        assertThat(text)
                .contains("CrowNest invoice " + invoice.path("number").asText())
                .contains("Tenant " + tenant)
                .contains("Period 2026-11")
                .contains("Compute, project alpha, pricing 2026-11-01")
                .contains("Compute, project beta, pricing 2026-11-01")
                .contains("Compute, project alpha, pricing 2026-11-20")
                .containsPattern("Subtotal\\s+1\\.26")
                .containsPattern("Credit applied\\s+0\\.00")
                .containsPattern("Total due\\s+1\\.26")
                .contains("half-even");
        for (String amount : List.of("0.12", "0.14", "1.00")) {
            assertThat(text).containsPattern("\\s" + amount.replace(".", "\\.") + "\\s");
        }

        // an unknown invoice asked for as a PDF still errs in the one JSON shape
        HttpResponse<byte[]> missing = calls.get(tenant, "/internal/billing/invoices/inv_missing", "application/pdf");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(json.readTree(missing.body()).path("error").path("code").asText())
                .isEqualTo("invoice_not_found");
    }

    private static UsageRated rated(String tenant, String project, long from, String version, String amount) {
        return new UsageRated(
                UUID.randomUUID(),
                tenant,
                Instant.now(),
                UsageRated.SCHEMA_VERSION,
                "sbx_" + project,
                project,
                from,
                from + 9,
                10,
                BigDecimal.TEN,
                version,
                new BigDecimal(amount));
    }
}
