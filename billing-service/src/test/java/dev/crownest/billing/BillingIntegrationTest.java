package dev.crownest.billing;

import static dev.crownest.billing.BillingCalls.rated;
import static dev.crownest.billing.BillingCalls.utc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.stripe.StripeClient;
import dev.crownest.billing.invoice.Cents;
import dev.crownest.billing.stripe.FakeStripe;
import dev.crownest.contracts.event.PlatformEvent;
import dev.crownest.contracts.event.TenantEvent;
import dev.crownest.contracts.event.Topics;
import dev.crownest.contracts.event.UsageRated;
import dev.crownest.kit.auth.ServiceCredential;
import dev.crownest.testing.IntegrationTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Rated usage from real Kafka into the ledger and invoices in real PostgreSQL: charged once however
 * often it is delivered, credit applied and reversed as entries, finalized invoices never edited,
 * tombstones on billing-events. No Stripe key here: nothing may reach (the fake) Stripe.
 */
@IntegrationTest(database = "billing_test_")
class BillingIntegrationTest {
    static final FakeStripe STRIPE = startStripe();

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        // pointed at the fake, but without a key: the sync must stay off
        registry.add("crownest.billing.stripe.api-base", STRIPE::baseUrl);
        registry.add("crownest.billing.stripe.sync-interval-ms", () -> "100");
    }

    @AfterAll
    static void stopStripe() {
        STRIPE.close();
    }

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
    ApplicationContext context;

    @Autowired
    KafkaListenerEndpointRegistry listeners;

    BillingCalls calls() {
        return new BillingCalls(port, json, credential);
    }

    @Test
    void chargesEachRatedSpanOnceAndKeepsTheFreeCreditUntilAnInvoiceUsesIt() throws Exception {
        String tenant = "t-" + UUID.randomUUID();
        createdOnFreePlan(tenant);
        BigDecimal perSecond = new BigDecimal("0.0000333333");
        for (int span = 0; span < 30; span++) {
            UsageRated rated = rated(tenant, "p1", utc(2026, 11, 2).plusSeconds(10L * span), 10);
            kafka.send(Topics.RATED_USAGE, tenant, rated);
            kafka.send(Topics.RATED_USAGE, tenant, rated); // re-published after a crash: same event id
        }
        BillingCalls.awaitConsumed(kafka, listeners);

        assertThat(jdbc.queryForObject("SELECT count(*) FROM usage_charge WHERE tenant_id = ?", Long.class, tenant))
                .isEqualTo(30);
        JsonNode balance = calls().getOk(tenant, "/internal/billing/balance");
        assertThat(balance.path("ratedSeconds").asLong()).isEqualTo(300);
        assertThat(balance.path("amountUsd").decimalValue())
                .isEqualByComparingTo(perSecond.multiply(BigDecimal.valueOf(300)));
        assertThat(balance.path("unbilledUsd").decimalValue())
                .isEqualByComparingTo(perSecond.multiply(BigDecimal.valueOf(300)));
        assertThat(balance.path("creditRemainingUsd").decimalValue()).isEqualByComparingTo("10.00");
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM credit_ledger WHERE tenant_id = ? AND kind = 'credit_grant'",
                        Long.class,
                        tenant))
                .isEqualTo(1);
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM credit_ledger WHERE tenant_id = ? AND kind = 'usage'",
                        Long.class,
                        tenant))
                .isEqualTo(30);
    }

    @Test
    void duplicatesAndWholeReplaysGiveTheSameLedgerAndInvoices() throws Exception {
        String tenant = "t-" + UUID.randomUUID();
        List<UsageRated> stream = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String project = i % 3 == 0 ? "p1" : "p2";
            stream.add(rated(tenant, project, utc(2026, 9 + i % 2, 3).plusSeconds(60L * i), 5 + i));
        }
        publish(stream);
        publish(stream); // published twice: same event ids
        BillingCalls.awaitConsumed(kafka, listeners);
        String ledger = calls().get(tenant, "/internal/billing/ledger").body();
        String invoices = calls().get(tenant, "/internal/billing/invoices").body();
        String balance = calls().get(tenant, "/internal/billing/balance").body();
        JsonNode items = json.readTree(invoices).path("items");
        assertThat(items).hasSize(2); // 2026-09 and 2026-10
        for (JsonNode invoice : items) {
            assertThat(invoice.path("lines")).hasSize(2); // p1 and p2, one pricing version
            assertBalanced(invoice);
        }
        BigDecimal expected = stream.stream().map(UsageRated::amountUsd).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(json.readTree(balance).path("amountUsd").decimalValue()).isEqualByComparingTo(expected);

        for (int replay = 0; replay < 2; replay++) {
            publish(stream);
            BillingCalls.awaitConsumed(kafka, listeners);
            assertThat(calls().get(tenant, "/internal/billing/ledger").body()).isEqualTo(ledger);
            assertThat(calls().get(tenant, "/internal/billing/invoices").body()).isEqualTo(invoices);
            assertThat(calls().get(tenant, "/internal/billing/balance").body()).isEqualTo(balance);
        }
    }

    @Test
    void finalizeAppliesCreditVoidReversesItAndLeavesATombstone() throws Exception {
        String tenant = "t-" + UUID.randomUUID();
        createdOnFreePlan(tenant);
        // $0.12 per CU-hour: 30 h of one sandbox is $3.60, within the $10 credit; a second month of 70 h is $8.40
        UsageRated september = rated(tenant, "p1", utc(2026, 9, 1), 30 * 3600);
        UsageRated october = rated(tenant, "p1", utc(2026, 10, 1), 70 * 3600);
        publish(List.of(september, october));
        BillingCalls.awaitConsumed(kafka, listeners);
        String sepId = invoiceOf(tenant, "2026-09").path("id").asText();
        String octId = invoiceOf(tenant, "2026-10").path("id").asText();

        JsonNode sep = calls().ok(calls().post(tenant, "/internal/billing/invoices/" + sepId + "/finalize", ""));
        assertThat(sep.path("status").asText()).isEqualTo("open");
        assertThat(sep.path("number").asText()).isEqualTo("CN-202609-0001");
        // lines are rated to 10 places and charged in cents, half-even: $3.59999964 is $3.60
        BigDecimal sepCharged = Cents.ofLine(september.amountUsd());
        assertThat(sep.path("creditAppliedUsd").decimalValue()).isEqualByComparingTo(sepCharged);
        assertThat(sep.path("totalUsd").decimalValue()).isEqualByComparingTo("0");
        assertBalanced(sep);
        assertLedgerBalances(tenant);

        JsonNode oct = calls().ok(calls().post(tenant, "/internal/billing/invoices/" + octId + "/finalize", ""));
        assertThat(oct.path("number").asText()).isEqualTo("CN-202610-0002");
        BigDecimal left = new BigDecimal("10.00").subtract(sepCharged);
        assertThat(oct.path("creditAppliedUsd").decimalValue()).isEqualByComparingTo(left); // only what was left
        assertThat(oct.path("totalUsd").decimalValue())
                .isEqualByComparingTo(Cents.ofLine(october.amountUsd()).subtract(left));
        assertBalanced(oct);
        assertThat(credit(tenant)).isEqualByComparingTo("0");
        assertLedgerBalances(tenant);

        // finalize twice → 409; another tenant → 404, nothing changed
        HttpResponse<String> again = calls().post(tenant, "/internal/billing/invoices/" + sepId + "/finalize", "");
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(json.readTree(again.body()).path("error").path("code").asText())
                .isEqualTo("invoice_not_draft");
        for (String call : List.of("", "/finalize", "/void")) {
            HttpResponse<String> foreign = call.isEmpty()
                    ? calls().get("t-other", "/internal/billing/invoices/" + sepId)
                    : calls().post("t-other", "/internal/billing/invoices/" + sepId + call, "{\"reason\":\"x\"}");
            assertThat(foreign.statusCode()).as(call).isEqualTo(404);
            assertThat(json.readTree(foreign.body()).path("error").path("code").asText())
                    .isEqualTo("invoice_not_found");
        }
        HttpResponse<String> noReason = calls().post(tenant, "/internal/billing/invoices/" + sepId + "/void", "{}");
        assertThat(noReason.statusCode()).isEqualTo(400);
        assertThat(calls().getOk(tenant, "/internal/billing/invoices/" + sepId)
                        .path("status")
                        .asText())
                .isEqualTo("open");

        JsonNode voided = calls().ok(calls().post(
                        tenant, "/internal/billing/invoices/" + sepId + "/void", "{\"reason\":\"billed twice\"}"));
        assertThat(voided.path("status").asText()).isEqualTo("void");
        assertThat(voided.path("voidReason").asText()).isEqualTo("billed twice");
        assertThat(voided.path("lines")).hasSize(1);
        assertThat(credit(tenant)).isEqualByComparingTo(sepCharged); // reversed, not edited
        assertLedgerBalances(tenant);
        assertThat(calls().post(tenant, "/internal/billing/invoices/" + sepId + "/void", "{\"reason\":\"again\"}")
                        .statusCode())
                .isEqualTo(409);
        JsonNode ledger = calls().getOk(tenant, "/internal/billing/ledger");
        assertThat(ledger.path("balanceUsd").decimalValue()).isEqualByComparingTo(sepCharged);
        assertThat(ledger.path("items").findValuesAsText("kind"))
                .containsSubsequence(
                        "credit_grant", "usage", "usage", "credit_applied", "credit_applied", "credit_reversed");

        Map<String, JsonNode> events = BillingCalls.billingEvents(json, tenant, 3);
        assertThat(events.values()).anySatisfy(e -> {
            assertThat(e.path("type").asText()).isEqualTo("InvoiceVoided");
            assertThat(e.path("invoiceId").asText()).isEqualTo(sepId);
            assertThat(e.path("reason").asText()).isEqualTo("billed twice");
            assertThat(e.path("actor").asText()).isEqualTo("key_test");
        });
        assertThat(events.values())
                .filteredOn(e -> e.path("type").asText().equals("InvoiceFinalized"))
                .hasSize(2)
                .anySatisfy(e -> assertThat(e.path("number").asText()).isEqualTo("CN-202610-0002"));
    }

    @Test
    void lateUsageOfAFinalizedPeriodLandsOnAnAdjustmentLineOfTheCurrentDraft() throws Exception {
        String tenant = "t-" + UUID.randomUUID();
        publish(List.of(rated(tenant, "p1", utc(2026, 8, 5), 100)));
        BillingCalls.awaitConsumed(kafka, listeners);
        JsonNode august = invoiceOf(tenant, "2026-08");
        JsonNode finalized = calls().ok(calls().post(
                        tenant,
                        "/internal/billing/invoices/" + august.path("id").asText() + "/finalize",
                        ""));

        UsageRated late = rated(tenant, "p1", utc(2026, 8, 30), 40);
        publish(List.of(late));
        BillingCalls.awaitConsumed(kafka, listeners);

        assertThat(calls().getOk(
                                tenant,
                                "/internal/billing/invoices/"
                                        + august.path("id").asText()))
                .isEqualTo(finalized);
        String current = YearMonth.now(ZoneOffset.UTC).toString();
        JsonNode drafts =
                calls().getOk(tenant, "/internal/billing/invoices?status=draft").path("items");
        assertThat(drafts).hasSize(1);
        JsonNode draft = drafts.get(0);
        assertThat(draft.path("period").asText()).isEqualTo(current);
        assertThat(draft.path("lines")).hasSize(1);
        JsonNode line = draft.path("lines").get(0);
        assertThat(line.path("adjustsPeriod").asText()).isEqualTo("2026-08");
        assertThat(line.path("description").asText()).contains("2026-08");
        assertThat(line.path("seconds").asLong()).isEqualTo(40);
        assertThat(line.path("ratedUsd").decimalValue()).isEqualByComparingTo(late.amountUsd());
        assertThat(line.path("amountUsd").decimalValue()).isEqualByComparingTo(Cents.ofLine(late.amountUsd()));
        assertThat(calls().get(tenant, "/internal/billing/invoices?status=paid").statusCode())
                .isEqualTo(400);
        assertThat(calls().getOk(tenant, "/internal/billing/invoices?period=2026-08")
                        .path("items"))
                .hasSize(1);
    }

    @Test
    void nothingReachesStripeWithoutAnApiKey() throws Exception {
        String tenant = "t-" + UUID.randomUUID();
        publish(List.of(rated(tenant, "p1", utc(2026, 7, 5), 100)));
        BillingCalls.awaitConsumed(kafka, listeners);
        calls().ok(calls().post(
                        tenant,
                        "/internal/billing/invoices/"
                                + invoiceOf(tenant, "2026-07").path("id").asText() + "/finalize",
                        ""));
        Thread.sleep(1000); // ten sync intervals, were the sync on
        assertThat(context.getBeanNamesForType(StripeClient.class)).isEmpty();
        assertThat(STRIPE.received()).isEmpty();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM stripe_sync", Long.class))
                .isZero();
    }

    @Test
    void theFreeCreditIsGrantedOnceAtCreationOnTheFreePlanAndNeverAtACharge() throws Exception {
        String free = "t-" + UUID.randomUUID();
        String pro = "t-" + UUID.randomUUID();
        String configured = "t-" + UUID.randomUUID(); // like the platform's own default: no TenantCreated
        TenantEvent.TenantCreated created = created(free, "free");
        kafka.send(Topics.KEY_EVENTS, free, created);
        kafka.send(Topics.KEY_EVENTS, free, created); // redelivered: same event id
        // a replay of the stream through another publisher: another event id, the same tenant
        kafka.send(Topics.KEY_EVENTS, free, created(free, "free"));
        kafka.send(Topics.KEY_EVENTS, pro, created(pro, "pro"));
        publish(List.of(rated(configured, "p1", utc(2026, 11, 3), 10), rated(pro, "p1", utc(2026, 11, 3), 10)));
        BillingCalls.awaitConsumed(kafka, listeners);
        await().atMost(Duration.ofSeconds(30)).until(() -> grants(free) > 0);
        Thread.sleep(1000); // time for the duplicates to be (not) granted
        assertThat(grants(free)).isEqualTo(1);
        assertThat(grants(pro)).as("created on pro").isZero();
        assertThat(grants(configured)).as("charged, never created").isZero();
        assertThat(calls().getOk(free, "/internal/billing/balance")
                        .path("creditRemainingUsd")
                        .decimalValue())
                .isEqualByComparingTo("10.00");
    }

    /** The tenant's creation on the free plan, as sandbox-service publishes it; waits for its grant. */
    private void createdOnFreePlan(String tenant) {
        kafka.send(Topics.KEY_EVENTS, tenant, created(tenant, "free"));
        kafka.flush();
        await().atMost(Duration.ofSeconds(30)).until(() -> grants(tenant) == 1);
    }

    private static TenantEvent.TenantCreated created(String tenant, String plan) {
        return new TenantEvent.TenantCreated(
                UUID.randomUUID(), tenant, Instant.now(), 1, tenant, plan, "system:signup", tenant + "@example.com");
    }

    private long grants(String tenant) {
        return jdbc.queryForObject(
                "SELECT count(*) FROM credit_ledger WHERE tenant_id = ? AND kind = 'credit_grant'", Long.class, tenant);
    }

    private void publish(List<UsageRated> events) {
        events.forEach(e -> kafka.send(Topics.RATED_USAGE, e.tenantId(), e));
        kafka.flush();
    }

    private JsonNode invoiceOf(String tenant, String period) throws Exception {
        JsonNode items = calls().getOk(tenant, "/internal/billing/invoices?period=" + period)
                .path("items");
        assertThat(items).hasSize(1);
        return items.get(0);
    }

    private BigDecimal credit(String tenant) throws Exception {
        return calls().getOk(tenant, "/internal/billing/balance")
                .path("creditRemainingUsd")
                .decimalValue();
    }

    /** subtotal = Σ lines, total = subtotal − credit applied. */
    private static void assertBalanced(JsonNode invoice) {
        BigDecimal lines = BigDecimal.ZERO;
        for (JsonNode line : invoice.path("lines")) {
            lines = lines.add(line.path("amountUsd").decimalValue());
        }
        assertThat(invoice.path("subtotalUsd").decimalValue()).isEqualByComparingTo(lines);
        assertThat(invoice.path("totalUsd").decimalValue())
                .isEqualByComparingTo(invoice.path("subtotalUsd")
                        .decimalValue()
                        .subtract(invoice.path("creditAppliedUsd").decimalValue()));
    }

    /** granted − applied + reversed = remaining credit ≥ 0, and the applied credit is what the invoices say. */
    private void assertLedgerBalances(String tenant) throws Exception {
        Map<String, Object> sums = jdbc.queryForMap("""
                SELECT coalesce(sum(amount_usd) FILTER (WHERE kind = 'credit_grant'), 0) AS granted,
                       coalesce(-sum(amount_usd) FILTER (WHERE kind = 'credit_applied'), 0) AS applied,
                       coalesce(sum(amount_usd) FILTER (WHERE kind = 'credit_reversed'), 0) AS reversed
                FROM credit_ledger WHERE tenant_id = ?""", tenant);
        BigDecimal remaining = ((BigDecimal) sums.get("granted"))
                .subtract((BigDecimal) sums.get("applied"))
                .add((BigDecimal) sums.get("reversed"));
        assertThat(credit(tenant)).isEqualByComparingTo(remaining);
        assertThat(remaining.signum()).isGreaterThanOrEqualTo(0);
        BigDecimal onInvoices = jdbc.queryForObject(
                "SELECT coalesce(sum(credit_applied_usd), 0) FROM invoice WHERE tenant_id = ? AND status = 'open'",
                BigDecimal.class,
                tenant);
        assertThat(((BigDecimal) sums.get("applied")).subtract((BigDecimal) sums.get("reversed")))
                .isEqualByComparingTo(onInvoices);
    }

    private static FakeStripe startStripe() {
        try {
            return new FakeStripe();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
