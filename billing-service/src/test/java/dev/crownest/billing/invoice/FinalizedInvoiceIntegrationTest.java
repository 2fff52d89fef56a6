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
import java.nio.charset.StandardCharsets;
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
 * What happens to an invoice once finalized. Its PDF, read back with PDFBox's text extraction, says what
 * its JSON says: each line at its pricing version, charged in cents by the one rounding rule (half-even
 * per line), and the totals. Credit notes give part of it back as credit, never more than it charged.
 */
@IntegrationTest(database = "billing_test_")
class FinalizedInvoiceIntegrationTest {

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
        JsonNode invoice = finalizedNovember(calls, tenant);
        String id = invoice.path("id").asText();
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

    @Test
    void aFinalizedInvoiceAsCsvHasItsLinesAndTotalsToTheCent() throws Exception {
        BillingCalls calls = new BillingCalls(port, json, credential);
        String tenant = "t-" + UUID.randomUUID();
        JsonNode invoice = finalizedNovember(calls, tenant);
        HttpResponse<byte[]> answer = calls.get(
                tenant, "/internal/billing/invoices/" + invoice.path("id").asText(), "text/csv");
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/csv"));
        assertThat(answer.headers().firstValue("Content-Disposition"))
                .hasValueSatisfying(d -> assertThat(d).contains("attachment").contains(".csv"));
        List<String> rows =
                new String(answer.body(), StandardCharsets.UTF_8).lines().toList();
        assertThat(rows.get(0)).isEqualTo(InvoiceCsv.HEADER);
        String number = invoice.path("number").asText();
        assertThat(rows.subList(1, 4))
                .allSatisfy(row ->
                        assertThat(row).startsWith("line," + invoice.path("id").asText() + "," + number))
                .anySatisfy(
                        row -> assertThat(row).contains(",alpha,2026-11-20,").endsWith(",1.00,"))
                .anySatisfy(row -> assertThat(row).endsWith(",0.12,"))
                .anySatisfy(row -> assertThat(row).endsWith(",0.14,"));
        assertThat(rows.subList(4, rows.size()))
                .extracting(row -> row.substring(0, row.indexOf(',')) + "=" + row.split(",", -1)[11])
                .containsExactly("subtotal=1.26", "credit_applied=0.00", "total=1.26");
    }

    @Test
    void creditNotesGiveAnOpenInvoiceBackAsCreditNeverMoreThanItChargedAndRefuseBadInputUnchanged() throws Exception {
        BillingCalls calls = new BillingCalls(port, json, credential);
        String tenant = "t-" + UUID.randomUUID();
        String id = finalizedNovember(calls, tenant).path("id").asText();
        String notes = "/internal/billing/invoices/" + id + "/credit-notes";

        HttpResponse<String> first = calls.post(tenant, notes, "{\"amountUsd\": 0.26, \"reason\": \"goodwill\"}");
        assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
        JsonNode note = json.readTree(first.body());
        assertThat(note.path("id").asText()).startsWith("cn_");
        assertThat(note.path("amountUsd").decimalValue()).isEqualByComparingTo("0.26");
        assertThat(note.path("createdBy").asText()).isEqualTo("key_test");
        assertThat(credit(calls, tenant)).isEqualByComparingTo("0.26");

        // each refused, and nothing changed: $1.00 is left to credit
        for (String[] refused : new String[][] {
            {"{\"amountUsd\": 0, \"reason\": \"x\"}", "400", "invalid_amount"},
            {"{\"amountUsd\": -1, \"reason\": \"x\"}", "400", "invalid_amount"},
            {"{\"amountUsd\": \"ten\", \"reason\": \"x\"}", "400", "invalid_amount"},
            {"{\"amountUsd\": 0.001, \"reason\": \"x\"}", "400", "invalid_amount"},
            {"{\"reason\": \"x\"}", "400", "invalid_amount"},
            {"{\"amountUsd\": 0.5}", "400", "reason_required"},
            {"{\"amountUsd\": 1.01, \"reason\": \"too much\"}", "409", "credit_note_exceeds_invoice"}
        }) {
            HttpResponse<String> answer = calls.post(tenant, notes, refused[0]);
            assertThat(answer.statusCode()).as(refused[0]).isEqualTo(Integer.parseInt(refused[1]));
            assertThat(json.readTree(answer.body()).path("error").path("code").asText())
                    .as(refused[0])
                    .isEqualTo(refused[2]);
        }
        assertThat(calls.getOk(tenant, notes).path("items")).hasSize(1);
        assertThat(credit(calls, tenant)).isEqualByComparingTo("0.26");

        // the rest, as a decimal string; then nothing is left, and the invoice with notes is not voided
        assertThat(calls.post(tenant, notes, "{\"amountUsd\": \"1.00\", \"reason\": \"outage\"}")
                        .statusCode())
                .isEqualTo(201);
        HttpResponse<String> past = calls.post(tenant, notes, "{\"amountUsd\": 0.01, \"reason\": \"one more\"}");
        assertThat(past.statusCode()).isEqualTo(409);
        HttpResponse<String> voided =
                calls.post(tenant, "/internal/billing/invoices/" + id + "/void", "{\"reason\": \"x\"}");
        assertThat(voided.statusCode()).isEqualTo(409);
        assertThat(json.readTree(voided.body()).path("error").path("code").asText())
                .isEqualTo("invoice_has_credit_notes");
        assertThat(calls.getOk(tenant, notes).path("items").findValuesAsText("reason"))
                .containsExactly("goodwill", "outage");
        assertThat(credit(calls, tenant)).isEqualByComparingTo("1.26");
        JsonNode ledger = calls.getOk(tenant, "/internal/billing/ledger");
        assertThat(ledger.path("items").findValuesAsText("kind")).containsSubsequence("credit_note", "credit_note");

        // a draft and another tenant's invoice take no note
        HttpResponse<String> foreign = calls.post("t-other", notes, "{\"amountUsd\": 0.01, \"reason\": \"x\"}");
        assertThat(foreign.statusCode()).isEqualTo(404);
        kafka.send(
                Topics.RATED_USAGE,
                tenant,
                rated(tenant, "alpha", BillingCalls.utc(2026, 12, 2).toEpochSecond(), "2026-11-20", "2.0000000000"));
        kafka.flush();
        BillingCalls.awaitConsumed(kafka, listeners);
        String december = calls.getOk(tenant, "/internal/billing/invoices?period=2026-12")
                .path("items")
                .get(0)
                .path("id")
                .asText();
        HttpResponse<String> draft = calls.post(
                tenant,
                "/internal/billing/invoices/" + december + "/credit-notes",
                "{\"amountUsd\": 0.01, \"reason\": \"x\"}");
        assertThat(draft.statusCode()).isEqualTo(409);
        assertThat(json.readTree(draft.body()).path("error").path("code").asText())
                .isEqualTo("invoice_not_open");

        // the next invoice uses the credit the notes gave back
        JsonNode next = calls.ok(calls.post(tenant, "/internal/billing/invoices/" + december + "/finalize", ""));
        assertThat(next.path("creditAppliedUsd").decimalValue()).isEqualByComparingTo("1.26");
        assertThat(next.path("totalUsd").decimalValue()).isEqualByComparingTo("0.74");
    }

    private static BigDecimal credit(BillingCalls calls, String tenant) throws Exception {
        return calls.getOk(tenant, "/internal/billing/balance")
                .path("creditRemainingUsd")
                .decimalValue();
    }

    /**
     * A finalized invoice of $1.26 for 2026-11 (no credit). Half a cent goes to the even cent: 0.125 → 0.12
     * (half-up would say 0.13), 0.135 → 0.14; the last two spans share one line, rated 1.0050000000 and
     * charged 1.00.
     */
    private JsonNode finalizedNovember(BillingCalls calls, String tenant) throws Exception {
        long november = BillingCalls.utc(2026, 11, 3).toEpochSecond();
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
        return calls.ok(calls.post(tenant, "/internal/billing/invoices/" + id + "/finalize", ""));
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
