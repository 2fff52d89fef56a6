package dev.crownest.billing;

import static dev.crownest.billing.BillingCalls.rated;
import static dev.crownest.billing.BillingCalls.utc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crownest.billing.stripe.FakeStripe;
import dev.crownest.contracts.event.PlatformEvent;
import dev.crownest.contracts.event.Topics;
import dev.crownest.kit.auth.ServiceCredential;
import dev.crownest.testing.IntegrationTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Credits stop spend, in billing with real Kafka and PostgreSQL and the fake Stripe: a granted tenant without
 * a payment method is warned at 80 %, held at 100 % ({@code CreditsExhausted} on billing-events), released by
 * a grant and by a payment method ({@code CreditsRestored}, cause grant / payment_method); the platform's own
 * tenant and a tenant with a payment method are never held; bad grants and payment methods change nothing.
 */
@IntegrationTest(database = "billing_credits_test_")
class CreditStopIntegrationTest {
    static final FakeStripe STRIPE = startStripe();

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        registry.add("crownest.billing.stripe.api-key", () -> "sk_test_" + UUID.randomUUID());
        registry.add("crownest.billing.stripe.api-base", STRIPE::baseUrl);
        registry.add("crownest.billing.stripe.max-network-retries", () -> "0");
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

    BillingCalls calls() {
        return new BillingCalls(port, json, credential);
    }

    @Test
    void aGrantedTenantIsWarnedHeldAtZeroAndReleasedByAGrantOrAPaymentMethod() throws Exception {
        String tenant = "t-" + UUID.randomUUID();
        JsonNode grant = created(grant(tenant, "{\"amountUsd\": 1, \"reason\": \"trial\"}"));
        assertThat(grant.path("grantId").asText()).startsWith("grt_");
        assertThat(grant.path("creditRemainingUsd").decimalValue()).isEqualByComparingTo("1");

        // $0.0000333333 a second: 24,100 s is just over 80 % of the dollar
        charge(tenant, 1, 24_100);
        await().atMost(Duration.ofSeconds(20)).until(() -> "warning".equals(alertLevel(tenant)));
        assertThat(held(tenant)).isFalse();

        charge(tenant, 2, 6_100);
        await().atMost(Duration.ofSeconds(20)).until(() -> held(tenant));
        assertThat(alertLevel(tenant)).isEqualTo("exhausted");
        assertThat(last(credit(tenant, 1), "CreditsExhausted")
                        .path("availableUsd")
                        .decimalValue())
                .isNegative();

        // a grant too small to bring the credit above zero keeps the hold
        created(grant(tenant, "{\"amountUsd\": 0.001, \"reason\": \"not enough\"}"));
        assertThat(held(tenant)).isTrue();
        created(grant(tenant, "{\"amountUsd\": 0.5, \"reason\": \"top-up\"}"));
        assertThat(held(tenant)).isFalse();
        assertThat(last(credit(tenant, 2), "CreditsRestored").path("cause").asText())
                .isEqualTo("grant");

        // used up again, then a payment method lifts the hold for good
        charge(tenant, 3, 20_000);
        await().atMost(Duration.ofSeconds(20)).until(() -> held(tenant));
        JsonNode method = calls().ok(calls().put(
                        tenant, "/internal/billing/payment-method", "{\"paymentMethodId\": \"pm_card_visa\"}"));
        assertThat(method.path("customerId").asText()).startsWith("cus_");
        assertThat(method.path("brand").asText()).isEqualTo("visa");
        assertThat(method.path("last4").asText()).isEqualTo("4242");
        assertThat(held(tenant)).isFalse();
        assertThat(STRIPE.effects("/v1/payment_methods/pm_card_visa/attach")).hasSize(1);
        assertThat(STRIPE.effects("/v1/payment_methods/pm_card_visa/attach")
                        .get(0)
                        .params())
                .containsEntry("customer", method.path("customerId").asText());
        assertThat(STRIPE.effects("/v1/customers/" + method.path("customerId").asText())
                        .get(0)
                        .params())
                .containsEntry("invoice_settings[default_payment_method]", "pm_card_visa");
        assertThat(jdbc.queryForObject(
                        "SELECT stripe_customer_id FROM billing_account WHERE tenant_id = ?", String.class, tenant))
                .as("the sync will not make a second customer")
                .isEqualTo(method.path("customerId").asText());
        assertThat(last(credit(tenant, 4), "CreditsRestored").path("cause").asText())
                .isEqualTo("payment_method");

        // more usage with a payment method: invoiced, never held
        charge(tenant, 4, 30_000);
        Thread.sleep(1500);
        assertThat(held(tenant)).isFalse();
        assertThat(credit(tenant, 4)).hasSize(4);
    }

    @Test
    void aCreditNoteOnAnOpenInvoiceLiftsTheHoldInItsOwnTransaction() throws Exception {
        String tenant = "t-" + UUID.randomUUID();
        created(grant(tenant, "{\"amountUsd\": 1, \"reason\": \"trial\"}"));
        // October: 20,000 s is $0.67 on its line; finalized, the credit pays it and $0.33 is left
        kafka.send(Topics.RATED_USAGE, tenant, rated(tenant, "p1", utc(2026, 10, 2), 20_000));
        kafka.flush();
        await().atMost(Duration.ofSeconds(20))
                .until(() -> calls().getOk(tenant, "/internal/billing/invoices?period=2026-10")
                                .path("items")
                                .size()
                        == 1);
        String october = calls().getOk(tenant, "/internal/billing/invoices?period=2026-10")
                .path("items")
                .get(0)
                .path("id")
                .asText();
        JsonNode finalized =
                calls().ok(calls().post(tenant, "/internal/billing/invoices/" + october + "/finalize", ""));
        assertThat(finalized.path("creditAppliedUsd").decimalValue()).isEqualByComparingTo("0.67");
        // November's $0.40 is more than is left: held
        charge(tenant, 6, 12_000);
        await().atMost(Duration.ofSeconds(20)).until(() -> held(tenant));

        HttpResponse<String> note = calls().post(
                        tenant,
                        "/internal/billing/invoices/" + october + "/credit-notes",
                        "{\"amountUsd\": 0.67, \"reason\": \"outage\"}");
        assertThat(note.statusCode()).as(note.body()).isEqualTo(201);
        assertThat(held(tenant)).as("lifted in the note's own transaction").isFalse();
        // InvoiceFinalized, CreditsExhausted, CreditNoteIssued, CreditsRestored
        assertThat(last(credit(tenant, 4), "CreditsRestored")
                        .path("availableUsd")
                        .decimalValue())
                .isPositive();
    }

    @Test
    void thePlatformsOwnTenantIsNeverHeld() throws Exception {
        created(grant("default", "{\"amountUsd\": 0.01, \"reason\": \"operator test\"}"));
        charge("default", 5, 3_000);
        await().atMost(Duration.ofSeconds(20)).until(() -> "exhausted".equals(alertLevel("default")));
        assertThat(held("default")).isFalse();
    }

    @Test
    void badGrantsAndPaymentMethodsAre400sOr402sAndChangeNothing() throws Exception {
        String tenant = "t-" + UUID.randomUUID();
        for (String body : List.of(
                "{\"amountUsd\": 0, \"reason\": \"x\"}",
                "{\"amountUsd\": -5, \"reason\": \"x\"}",
                "{\"amountUsd\": 1000001, \"reason\": \"x\"}",
                "{\"amountUsd\": 0.00000000001, \"reason\": \"x\"}",
                "{\"reason\": \"x\"}")) {
            assertError(grant(tenant, body), 400, "invalid_amount");
        }
        assertError(grant(tenant, "{\"amountUsd\": \"ten\", \"reason\": \"x\"}"), 400, null);
        assertError(grant(tenant, "{\"amountUsd\": 1}"), 400, "invalid_reason");
        assertError(
                grant(tenant, "{\"amountUsd\": 1, \"reason\": \"" + "r".repeat(201) + "\"}"), 400, "invalid_reason");
        for (String body : List.of("{}", "{\"paymentMethodId\": \"card_123\"}", "{\"paymentMethodId\": \"pm_a b\"}")) {
            assertError(calls().put(tenant, "/internal/billing/payment-method", body), 400, "invalid_payment_method");
        }
        assertError(
                calls().put(
                                tenant,
                                "/internal/billing/payment-method",
                                "{\"paymentMethodId\": \"pm_card_chargeDeclined\"}"),
                402,
                "payment_method_refused");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM credit_ledger WHERE tenant_id = ?", Long.class, tenant))
                .isZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM payment_method WHERE tenant_id = ?", Long.class, tenant))
                .isZero();
    }

    private HttpResponse<String> grant(String tenant, String body) throws Exception {
        return calls().post(tenant, "/internal/billing/credit-grants", body);
    }

    private JsonNode created(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return json.readTree(response.body());
    }

    private void assertError(HttpResponse<String> response, int status, String code) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode error = json.readTree(response.body()).path("error");
        assertThat(error.path("message").asText()).isNotBlank();
        if (code != null) {
            assertThat(error.path("code").asText()).isEqualTo(code);
        }
    }

    private void charge(String tenant, int day, long seconds) {
        kafka.send(Topics.RATED_USAGE, tenant, rated(tenant, "p1", utc(2026, 11, day), seconds));
        kafka.flush();
    }

    private boolean held(String tenant) {
        return jdbc.queryForObject("SELECT count(*) FROM credit_hold WHERE tenant_id = ?", Long.class, tenant) > 0;
    }

    private String alertLevel(String tenant) {
        return jdbc.queryForList("SELECT level FROM credit_alert WHERE tenant_id = ?", String.class, tenant).stream()
                .findFirst()
                .orElse(null);
    }

    /** The tenant's events on billing-events in order, once {@code atLeast} arrived. */
    private List<JsonNode> credit(String tenant, int atLeast) {
        return List.copyOf(BillingCalls.billingEvents(json, tenant, atLeast).values());
    }

    private static JsonNode last(List<JsonNode> events, String type) {
        return events.stream()
                .filter(e -> e.path("type").asText().equals(type))
                .reduce((first, second) -> second)
                .orElseThrow(() -> new AssertionError("no " + type + " among " + events));
    }

    private static FakeStripe startStripe() {
        try {
            return new FakeStripe();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
