package dev.crownest.billing.stripe;

import static dev.crownest.billing.BillingCalls.rated;
import static dev.crownest.billing.BillingCalls.utc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crownest.billing.BillingCalls;
import dev.crownest.contracts.event.PlatformEvent;
import dev.crownest.contracts.event.Topics;
import dev.crownest.contracts.event.UsageRated;
import dev.crownest.kit.auth.ServiceCredential;
import dev.crownest.testing.IntegrationTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The Stripe sync against the fake Stripe, with real Kafka and PostgreSQL: while calls fail (HTTP 500,
 * or processed but the answer lost) the job backs off and retries under the same idempotency keys,
 * and once it settles Stripe holds each customer, meter event and invoice exactly once.
 */
@ExtendWith(OutputCaptureExtension.class)
@IntegrationTest(database = "billing_stripe_test_")
class StripeSyncIntegrationTest {
    static final String API_KEY = "sk_test_" + UUID.randomUUID().toString().replace("-", "");
    static final FakeStripe STRIPE = startStripe();

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        // only what this test publishes: earlier runs' rated usage on the shared topic is not ours to sync
        registry.add("spring.kafka.consumer.auto-offset-reset", () -> "latest");
        registry.add("crownest.billing.stripe.api-key", () -> API_KEY);
        registry.add("crownest.billing.stripe.api-base", STRIPE::baseUrl);
        registry.add("crownest.billing.stripe.sync-interval-ms", () -> "100");
        registry.add("crownest.billing.stripe.backoff-base", () -> "50ms");
        registry.add("crownest.billing.stripe.backoff-max", () -> "400ms");
        // stripe-java's own retries off, so the job's retry is what is tested
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
    KafkaListenerEndpointRegistry listeners;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    ObjectMapper json;

    @Test
    void retriesAfterFailuresSendEachThingToStripeOnce(CapturedOutput output) throws Exception {
        await().atMost(Duration.ofSeconds(30))
                .until(() -> listeners.getAllListenerContainers().stream()
                        .allMatch(c -> c.getAssignedPartitions() != null
                                && !c.getAssignedPartitions().isEmpty()));
        String a = "t-" + UUID.randomUUID();
        String b = "t-" + UUID.randomUUID();
        List<UsageRated> usage = new ArrayList<>();

        // customers: the first calls fail before Stripe does anything
        STRIPE.failNext(3, FakeStripe.Failure.HTTP_500);
        usage.add(rated(a, "p1", utc(2026, 10, 1), 60));
        usage.add(rated(b, "p1", utc(2026, 10, 1), 60));
        publish(usage);
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(jdbc.queryForObject(
                                "SELECT count(*) FROM billing_account WHERE tenant_id IN (?, ?) AND stripe_customer_id IS NOT NULL",
                                Long.class,
                                a,
                                b))
                        .isEqualTo(2));

        // meter events: Stripe processes them but the answers are lost
        STRIPE.failNext(4, FakeStripe.Failure.DROP_AFTER_PROCESSING);
        List<UsageRated> more = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            more.add(rated(a, i % 2 == 0 ? "p1" : "p2", utc(2026, 10, 2).plusMinutes(i), 30 + i));
        }
        publish(more);
        usage.addAll(more);
        BillingCalls.awaitConsumed(kafka, listeners);
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(jdbc.queryForObject(
                                "SELECT count(*) FROM stripe_sync WHERE kind = 'meter'", Long.class))
                        .isEqualTo(usage.size()));

        // the invoice: one 500, then one lost answer
        String invoiceId = new BillingCalls(port, json, credential)
                .getOk(a, "/internal/billing/invoices?period=2026-10")
                .path("items")
                .get(0)
                .path("id")
                .asText();
        STRIPE.failNext(1, FakeStripe.Failure.HTTP_500);
        new BillingCalls(port, json, credential)
                .ok(new BillingCalls(port, json, credential)
                        .post(a, "/internal/billing/invoices/" + invoiceId + "/finalize", ""));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(new BillingCalls(port, json, credential)
                                .getOk(a, "/internal/billing/invoices/" + invoiceId)
                                .path("stripeInvoiceId")
                                .asText())
                        .startsWith("in_"));

        // each meter event once, by identifier, with the tenant's customer and its compute unit seconds
        for (UsageRated rated : usage) {
            List<FakeStripe.Request> events = STRIPE.effects("/v1/billing/meter_events").stream()
                    .filter(r -> rated.eventId().toString().equals(r.params().get("identifier")))
                    .toList();
            assertThat(events).as(rated.eventId().toString()).hasSize(1);
            assertThat(events.getFirst().idempotencyKey()).isEqualTo("meter-" + rated.eventId());
            assertThat(events.getFirst().params())
                    .containsEntry("event_name", "crownest_compute_unit_seconds")
                    .containsEntry("payload[value]", String.valueOf(rated.seconds()))
                    .containsEntry("payload[stripe_customer_id]", customerOf(rated.tenantId()));
        }
        // the dropped answers made the job resend: more requests than effects, under the same keys
        long meterRequests = STRIPE.received().stream()
                .filter(r -> r.path().equals("/v1/billing/meter_events"))
                .count();
        assertThat(meterRequests).isGreaterThan(usage.size());
        // one customer per tenant
        for (String tenant : List.of(a, b)) {
            assertThat(STRIPE.effects("/v1/customers").stream()
                            .filter(r -> tenant.equals(r.params().get("metadata[crownest_tenant_id]"))))
                    .singleElement()
                    .satisfies(r -> assertThat(r.idempotencyKey()).isEqualTo("customer-" + tenant));
        }
        assertThat(STRIPE.received().stream().filter(r -> r.path().equals("/v1/customers")))
                .hasSizeGreaterThan(2);
        // one invoice, with its items and one finalize
        assertThat(STRIPE.effects("/v1/invoices")).singleElement().satisfies(r -> {
            assertThat(r.idempotencyKey()).isEqualTo("invoice-" + invoiceId);
            assertThat(r.params())
                    .containsEntry("metadata[crownest_invoice_id]", invoiceId)
                    .containsEntry("customer", customerOf(a));
        });
        String stripeInvoice =
                jdbc.queryForObject("SELECT stripe_invoice_id FROM invoice WHERE id = ?", String.class, invoiceId);
        assertThat(STRIPE.effects("/v1/invoices/" + stripeInvoice + "/finalize"))
                .hasSize(1);
        assertThat(STRIPE.effects("/v1/invoiceitems"))
                .extracting(FakeStripe.Request::idempotencyKey)
                .doesNotHaveDuplicates()
                .allMatch(k -> k.startsWith("invoice-" + invoiceId + "-item-"));

        // voided here after it reached Stripe: voided there once, though the first answer is lost
        STRIPE.failNext(1, FakeStripe.Failure.DROP_AFTER_PROCESSING);
        new BillingCalls(port, json, credential)
                .ok(new BillingCalls(port, json, credential)
                        .post(
                                a,
                                "/internal/billing/invoices/" + invoiceId + "/void",
                                "{\"reason\":\"wrong customer\"}"));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(jdbc.queryForObject(
                                "SELECT count(*) FROM stripe_sync WHERE kind = 'invoice_void' AND reference = ?",
                                Long.class,
                                invoiceId))
                        .isEqualTo(1));
        assertThat(STRIPE.effects("/v1/invoices/" + stripeInvoice + "/void"))
                .singleElement()
                .satisfies(r -> assertThat(r.idempotencyKey()).isEqualTo("invoice-" + invoiceId + "-void"));
        assertThat(STRIPE.received().stream().filter(r -> r.path().endsWith("/void")))
                .hasSizeGreaterThan(1);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM stripe_sync_failure", Long.class))
                .isZero();
        assertThat(output.getAll()).doesNotContain(API_KEY);
    }

    private String customerOf(String tenant) {
        return jdbc.queryForObject(
                "SELECT stripe_customer_id FROM billing_account WHERE tenant_id = ?", String.class, tenant);
    }

    private void publish(List<UsageRated> events) {
        events.forEach(e -> kafka.send(Topics.RATED_USAGE, e.tenantId(), e));
        kafka.flush();
    }

    private static FakeStripe startStripe() {
        try {
            return new FakeStripe();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
