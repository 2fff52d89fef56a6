package dev.crownest.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crownest.contracts.event.PlatformEvent;
import dev.crownest.contracts.event.TenantEvent;
import dev.crownest.contracts.event.Topics;
import dev.crownest.contracts.event.UsageRated;
import dev.crownest.kit.auth.ServiceCredential;
import dev.crownest.testing.IntegrationTest;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Random usage, redeliveries, grants, finalizes, credit notes and voids against billing, checked to the cent
 * against a model this test keeps on its own from what it sent: where each span lands (its period's
 * draft, or an adjustment line on the current draft once its period is closed), each line rounded
 * half-even once, credit applied rounded down and never above the credit there is, and the credit
 * account as grants + reversals + notes − applied. Payments are not modelled: no payment is recorded
 * in billing yet (a payment method only lifts a credit hold). The seed is printed; a failure names it.
 */
@IntegrationTest(database = "billing_test_")
class LedgerPropertyTest {
    private static final BigDecimal FREE_CREDIT = new BigDecimal("10.00");
    private static final List<String> PERIODS = List.of("2026-08", "2026-09", "2026-10", "2026-11");
    private static final List<String> VERSIONS = List.of("2026-11-01", "2026-11-20");

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
    KafkaListenerEndpointRegistry listeners;

    @Test
    void randomUsageFinalizesNotesAndVoidsAddUpToTheCentForEverySeed() throws Exception {
        long seed = System.nanoTime();
        System.out.println("LedgerPropertyTest seed " + seed);
        Random random = new Random(seed);
        for (int t = 0; t < 3; t++) {
            runOneTenant(random, seed);
        }
    }

    private void runOneTenant(Random random, long seed) throws Exception {
        BillingCalls calls = new BillingCalls(port, json, credential);
        String tenant = "t-" + UUID.randomUUID();
        kafka.send(
                Topics.KEY_EVENTS,
                tenant,
                new TenantEvent.TenantCreated(
                        UUID.randomUUID(),
                        tenant,
                        Instant.now(),
                        1,
                        tenant,
                        "free",
                        "system:signup",
                        tenant + "@example.com"));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> jdbc.queryForObject(
                                "SELECT count(*) FROM credit_ledger WHERE tenant_id = ? AND kind = 'credit_grant'",
                                Long.class,
                                tenant)
                        == 1);
        Model model = new Model(FREE_CREDIT);
        BigDecimal usageSent = BigDecimal.ZERO;
        for (int round = 0; round < 12; round++) {
            List<UsageRated> spans = new ArrayList<>();
            for (int s = random.nextInt(4); s >= 0; s--) {
                spans.add(span(tenant, random));
            }
            for (UsageRated span : spans) {
                kafka.send(Topics.RATED_USAGE, tenant, span);
                model.usage(span);
                usageSent = usageSent.add(span.amountUsd());
                if (random.nextInt(4) == 0) {
                    kafka.send(Topics.RATED_USAGE, tenant, span); // a redelivery: charged once
                }
            }
            BillingCalls.awaitConsumed(kafka, listeners);
            act(calls, tenant, model, random);
        }
        String why = "seed " + seed + ", tenant " + tenant;
        JsonNode invoices = calls.getOk(tenant, "/internal/billing/invoices").path("items");
        assertThat(invoices).as(why).hasSize(model.invoices.size());
        for (JsonNode invoice : invoices) {
            Model.Invoice expected = model.of(invoice.path("period").asText());
            assertThat(invoice.path("status").asText()).as(why).isEqualTo(expected.status);
            assertThat(cents(invoice, "subtotalUsd")).as(why).isEqualTo(expected.subtotal());
            if (!expected.status.equals("draft")) {
                assertThat(cents(invoice, "creditAppliedUsd")).as(why).isEqualTo(expected.applied);
            }
            assertThat(cents(invoice, "totalUsd"))
                    .as(why)
                    .isEqualTo(expected.subtotal().subtract(expected.applied));
        }
        JsonNode balance = calls.getOk(tenant, "/internal/billing/balance");
        assertThat(balance.path("creditRemainingUsd").decimalValue()).as(why).isEqualByComparingTo(model.credit);
        // the ledger's charges are what was sent, exactly, to the tenth decimal: nothing lost, nothing doubled
        assertThat(balance.path("amountUsd").decimalValue()).as(why).isEqualByComparingTo(usageSent);
    }

    /** One random administrative step on what the model says exists, its answer checked against the model. */
    private void act(BillingCalls calls, String tenant, Model model, Random random) throws Exception {
        int choice = random.nextInt(5);
        // the current period's draft stays a draft: the adjustments of closed periods go there
        String now = YearMonth.now(ZoneOffset.UTC).toString();
        List<Model.Invoice> drafts = model.withStatus("draft").stream()
                .filter(i -> !i.period.equals(now))
                .toList();
        List<Model.Invoice> open = model.withStatus("open");
        if (choice <= 1 && !drafts.isEmpty()) {
            Model.Invoice draft = drafts.get(random.nextInt(drafts.size()));
            JsonNode answer = calls.ok(calls.post(tenant, invoicePath(calls, tenant, draft) + "/finalize", ""));
            model.finalize(draft);
            assertThat(cents(answer, "creditAppliedUsd")).isEqualTo(draft.applied);
        } else if (choice == 2 && !open.isEmpty()) {
            Model.Invoice invoice = open.get(random.nextInt(open.size()));
            BigDecimal left = invoice.subtotal().subtract(invoice.noted);
            // up to a cent past what is left: those are refused and change nothing
            BigDecimal amount =
                    new BigDecimal(random.nextInt(left.movePointRight(2).intValueExact() + 2)).movePointLeft(2);
            HttpResponse<String> answer = calls.post(
                    tenant,
                    invoicePath(calls, tenant, invoice) + "/credit-notes",
                    "{\"amountUsd\": \"" + amount.toPlainString() + "\", \"reason\": \"property\"}");
            if (amount.signum() > 0 && amount.compareTo(left) <= 0) {
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
                model.note(invoice, amount);
            } else {
                assertThat(answer.statusCode()).as(answer.body()).isIn(400, 409);
            }
        } else if (choice == 4) {
            // an operator's grant, to the ten-thousandth of a dollar: finalize applies only whole cents of it
            BigDecimal amount = BigDecimal.valueOf(1 + random.nextInt(50_000), 4);
            HttpResponse<String> answer = calls.post(
                    tenant,
                    "/internal/billing/credit-grants",
                    "{\"amountUsd\": " + amount.toPlainString() + ", \"reason\": \"property\"}");
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
            model.credit = model.credit.add(amount);
        } else if (choice == 3 && !open.isEmpty()) {
            Model.Invoice invoice = open.get(random.nextInt(open.size()));
            HttpResponse<String> answer =
                    calls.post(tenant, invoicePath(calls, tenant, invoice) + "/void", "{\"reason\": \"property\"}");
            if (invoice.noted.signum() == 0) {
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
                model.voidOpen(invoice);
            } else {
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(409);
            }
        }
    }

    private static String invoicePath(BillingCalls calls, String tenant, Model.Invoice invoice) throws Exception {
        for (JsonNode found : calls.getOk(tenant, "/internal/billing/invoices?period=" + invoice.period)
                .path("items")) {
            return "/internal/billing/invoices/" + found.path("id").asText();
        }
        throw new AssertionError("no invoice of " + invoice.period);
    }

    private static UsageRated span(String tenant, Random random) {
        String period = PERIODS.get(random.nextInt(PERIODS.size()));
        long from = YearMonth.parse(period)
                        .atDay(1 + random.nextInt(28))
                        .atStartOfDay()
                        .toEpochSecond(ZoneOffset.UTC)
                + random.nextInt(86_000);
        long seconds = 1 + random.nextInt(3600);
        // up to $3 with all ten decimals used, so rounding matters on most lines
        BigDecimal amount = BigDecimal.valueOf(random.nextLong(30_000_000_000L), 10);
        return new UsageRated(
                UUID.randomUUID(),
                tenant,
                Instant.now(),
                UsageRated.SCHEMA_VERSION,
                "sbx_p",
                "p" + random.nextInt(2),
                from,
                from + seconds - 1,
                seconds,
                BigDecimal.valueOf(seconds),
                VERSIONS.get(random.nextInt(VERSIONS.size())),
                amount);
    }

    private static BigDecimal cents(JsonNode invoice, String field) {
        return invoice.path(field).decimalValue().setScale(2, RoundingMode.UNNECESSARY);
    }

    /** What billing should hold, kept from the test's own operations only. */
    private static final class Model {
        final List<Invoice> invoices = new ArrayList<>();
        BigDecimal credit;

        Model(BigDecimal granted) {
            this.credit = granted;
        }

        static final class Invoice {
            final String period;
            String status = "draft";
            final Map<String, BigDecimal> lines = new LinkedHashMap<>();
            BigDecimal applied = BigDecimal.ZERO.setScale(2);
            BigDecimal noted = BigDecimal.ZERO.setScale(2);

            Invoice(String period) {
                this.period = period;
            }

            /** Each line's exact sum rounded half-even once; the subtotal is their sum. */
            BigDecimal subtotal() {
                return lines.values().stream()
                        .map(l -> l.setScale(2, RoundingMode.HALF_EVEN))
                        .reduce(BigDecimal.ZERO.setScale(2), BigDecimal::add);
            }
        }

        /**
         * A span lands on its period's draft, made on its first usage; once the period is closed (finalized or
         * void), on an adjustment line of the current period's draft. Spans are of past months only and the
         * current draft is never finalized here, so each period has one invoice.
         */
        void usage(UsageRated span) {
            String period = YearMonth.from(
                            Instant.ofEpochSecond(span.fromSecond()).atZone(ZoneOffset.UTC))
                    .toString();
            boolean closed = invoices.stream().anyMatch(i -> i.period.equals(period) && !i.status.equals("draft"));
            String onto = closed ? YearMonth.now(ZoneOffset.UTC).toString() : period;
            Invoice draft = invoices.stream()
                    .filter(i -> i.period.equals(onto))
                    .findFirst()
                    .orElseGet(() -> {
                        Invoice fresh = new Invoice(onto);
                        invoices.add(fresh);
                        return fresh;
                    });
            draft.lines.merge(
                    span.projectId() + "|" + span.pricingVersion() + "|" + (closed ? period : ""),
                    span.amountUsd(),
                    BigDecimal::add);
        }

        void finalize(Invoice draft) {
            draft.applied = credit.setScale(2, RoundingMode.FLOOR).min(draft.subtotal());
            credit = credit.subtract(draft.applied);
            draft.status = "open";
        }

        void note(Invoice invoice, BigDecimal amount) {
            invoice.noted = invoice.noted.add(amount);
            credit = credit.add(amount);
        }

        void voidOpen(Invoice invoice) {
            credit = credit.add(invoice.applied);
            invoice.status = "void";
        }

        List<Invoice> withStatus(String status) {
            return invoices.stream().filter(i -> i.status.equals(status)).toList();
        }

        Invoice of(String period) {
            return invoices.stream()
                    .filter(i -> i.period.equals(period))
                    .findFirst()
                    .orElseThrow(
                            () -> new AssertionError("billing has an invoice of " + period + " the model does not"));
        }
    }
}
