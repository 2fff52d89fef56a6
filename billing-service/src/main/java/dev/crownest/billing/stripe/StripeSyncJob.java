package dev.crownest.billing.stripe;

import com.stripe.StripeClient;
import com.stripe.exception.StripeException;
import com.stripe.model.Customer;
import com.stripe.model.Invoice;
import com.stripe.net.RequestOptions;
import com.stripe.param.CustomerCreateParams;
import com.stripe.param.InvoiceCreateParams;
import com.stripe.param.InvoiceFinalizeInvoiceParams;
import com.stripe.param.InvoiceItemCreateParams;
import com.stripe.param.billing.MeterEventCreateParams;
import dev.crownest.billing.invoice.Cents;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Conditional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Sends to Stripe what it has not answered for yet, a few rows at a time, outside any Kafka or
 * database transaction: a customer per tenant, a Billing meter event per rated usage, an invoice
 * (items, then finalize) per finalized CrowNest invoice, and its void when it is voided. Every call carries an idempotency key derived
 * from what it is for, and {@link StripeSyncLog} records it only after Stripe answered, so a retry
 * after a failure or a crash resends under the same key and Stripe applies it once.
 */
@Component
@Conditional(StripeConfigured.class)
class StripeSyncJob {
    private static final Logger log = LoggerFactory.getLogger(StripeSyncJob.class);
    private final StripeClient stripe;
    private final StripeProperties properties;
    private final StripeSyncLog syncLog;
    private final JdbcTemplate jdbc;
    private final Clock clock;

    StripeSyncJob(
            StripeClient stripe, StripeProperties properties, StripeSyncLog syncLog, JdbcTemplate jdbc, Clock clock) {
        this.stripe = stripe;
        this.properties = properties;
        this.syncLog = syncLog;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${crownest.billing.stripe.sync-interval-ms:2000}")
    public void sync() {
        // customers first: meter events and invoices need the tenant's Stripe customer
        step("customers", this::customers);
        step("meter events", this::meterEvents);
        step("invoices", this::invoices);
        step("voided invoices", this::voidedInvoices);
    }

    private void step(String name, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            // e.g. the database is away: the next run tries again, the other steps still run
            log.warn("stripe sync of {} failed: {}", name, e.toString());
        }
    }

    private void customers() {
        List<String> tenants = jdbc.queryForList(
                "SELECT tenant_id FROM billing_account a WHERE " + StripeSyncLog.due("customer", "a.tenant_id")
                        + " ORDER BY created_at LIMIT ?",
                String.class,
                now(),
                properties.batchSize());
        for (String tenant : tenants) {
            attempt("customer", tenant, () -> {
                Customer customer = stripe.v1().customers().create(customerParams(tenant), key(customerKey(tenant)));
                return customer.getId();
            });
        }
    }

    private void meterEvents() {
        List<Map<String, Object>> rows = jdbc.queryForList(
                """
                SELECT u.event_id::text AS event_id, u.compute_unit_seconds, u.to_second, a.stripe_customer_id
                FROM usage_charge u JOIN billing_account a ON a.tenant_id = u.tenant_id AND a.stripe_customer_id IS NOT NULL
                WHERE""" + " " + StripeSyncLog.due("meter", "u.event_id::text") + " ORDER BY u.second LIMIT ?",
                now(),
                properties.batchSize());
        for (Map<String, Object> row : rows) {
            String eventId = (String) row.get("event_id");
            attempt("meter", eventId, () -> {
                stripe.v1()
                        .billing()
                        .meterEvents()
                        .create(
                                MeterEventCreateParams.builder()
                                        .setEventName(properties.meterEventName())
                                        .setIdentifier(eventId) // Stripe dedupes meter events by identifier as well
                                        .setTimestamp(((Number) row.get("to_second")).longValue())
                                        .putPayload("stripe_customer_id", (String) row.get("stripe_customer_id"))
                                        .putPayload(
                                                "value",
                                                ((BigDecimal) row.get("compute_unit_seconds"))
                                                        .stripTrailingZeros()
                                                        .toPlainString())
                                        .build(),
                                key("meter-" + eventId));
                return null;
            });
        }
    }

    private void invoices() {
        List<Map<String, Object>> rows = jdbc.queryForList(
                """
                SELECT i.id, i.number, i.credit_applied_usd, a.stripe_customer_id
                FROM invoice i JOIN billing_account a ON a.tenant_id = i.tenant_id AND a.stripe_customer_id IS NOT NULL
                WHERE i.status = 'open' AND""" + " " + StripeSyncLog.due("invoice", "i.id") + " ORDER BY i.finalized_at LIMIT ?",
                now(),
                properties.batchSize());
        for (Map<String, Object> row : rows) {
            String id = (String) row.get("id");
            attempt(
                    "invoice",
                    id,
                    () -> sendInvoice(
                            id, (String) row.get("number"), (String) row.get("stripe_customer_id"), (BigDecimal)
                                    row.get("credit_applied_usd")));
        }
    }

    /** A CrowNest invoice voided after it reached Stripe is voided there too; one voided before never goes. */
    private void voidedInvoices() {
        List<Map<String, Object>> rows = jdbc.queryForList(
                """
                SELECT i.id, s.stripe_id FROM invoice i JOIN stripe_sync s ON s.kind = 'invoice' AND s.reference = i.id
                WHERE i.status = 'void' AND""" + " " + StripeSyncLog.due("invoice_void", "i.id") + " ORDER BY i.voided_at LIMIT ?",
                now(),
                properties.batchSize());
        for (Map<String, Object> row : rows) {
            String id = (String) row.get("id");
            attempt(
                    "invoice_void",
                    id,
                    () -> stripe.v1()
                            .invoices()
                            .voidInvoice((String) row.get("stripe_id"), key("invoice-" + id + "-void"))
                            .getId());
        }
    }

    /** Create the Stripe invoice, one item per line and one for the credit applied, then finalize it. */
    private String sendInvoice(String id, String number, String customer, BigDecimal creditApplied)
            throws StripeException {
        Invoice invoice = stripe.v1()
                .invoices()
                .create(
                        InvoiceCreateParams.builder()
                                .setCustomer(customer)
                                .setCollectionMethod(InvoiceCreateParams.CollectionMethod.SEND_INVOICE)
                                .setDaysUntilDue(properties.daysUntilDue())
                                .setAutoAdvance(false)
                                .setPendingInvoiceItemsBehavior(InvoiceCreateParams.PendingInvoiceItemsBehavior.EXCLUDE)
                                .setDescription("CrowNest invoice " + number)
                                .putMetadata("crownest_invoice_id", id)
                                .build(),
                        key("invoice-" + id));
        List<Map<String, Object>> lines = jdbc.queryForList("""
                SELECT project_id, pricing_version, adjusts_period, amount_usd FROM invoice_line WHERE invoice_id = ?
                ORDER BY adjusts_period, project_id, pricing_version""", id);
        int n = 0;
        for (Map<String, Object> line : lines) {
            String adjusts = (String) line.get("adjusts_period");
            item(
                    id,
                    n++,
                    customer,
                    invoice.getId(),
                    Cents.count((BigDecimal) line.get("amount_usd")),
                    (adjusts.isEmpty() ? "Compute" : "Late usage of " + adjusts) + ", pricing "
                            + line.get("pricing_version")
                            + (((String) line.get("project_id")).isEmpty()
                                    ? ""
                                    : ", project " + line.get("project_id")));
        }
        if (creditApplied != null && creditApplied.signum() > 0) {
            item(id, n, customer, invoice.getId(), -Cents.count(creditApplied), "CrowNest credit applied");
        }
        Invoice finalized = stripe.v1()
                .invoices()
                .finalizeInvoice(
                        invoice.getId(),
                        InvoiceFinalizeInvoiceParams.builder().build(),
                        key("invoice-" + id + "-finalize"));
        return finalized.getId();
    }

    private void item(String id, int n, String customer, String stripeInvoice, long cents, String description)
            throws StripeException {
        stripe.v1()
                .invoiceItems()
                .create(
                        InvoiceItemCreateParams.builder()
                                .setCustomer(customer)
                                .setInvoice(stripeInvoice)
                                .setCurrency("usd")
                                .setAmount(cents)
                                .setDescription(description)
                                .build(),
                        key("invoice-" + id + "-item-" + n));
    }

    private void attempt(String kind, String reference, StripeCall call) {
        try {
            String stripeId = call.send();
            syncLog.synced(kind, reference, stripeId);
        } catch (StripeException e) {
            // the message of a Stripe error never contains the key; the status says whether to retry soon
            log.warn("stripe {} {} not synced (status {}): {}", kind, reference, e.getStatusCode(), e.getMessage());
            syncLog.failed(
                    kind, reference, String.valueOf(e.getMessage()), properties.backoffBase(), properties.backoffMax());
        } catch (RuntimeException e) {
            log.warn("stripe {} {} not synced: {}", kind, reference, e.toString());
            syncLog.failed(kind, reference, e.toString(), properties.backoffBase(), properties.backoffMax());
        }
    }

    /** The tenant's customer as made by the sync and by a payment method, whichever comes first. */
    static CustomerCreateParams customerParams(String tenant) {
        return CustomerCreateParams.builder()
                .setName("CrowNest tenant " + tenant)
                .putMetadata("crownest_tenant_id", tenant)
                .build();
    }

    /** One idempotency key per tenant's customer, so Stripe makes one whoever asks. */
    static String customerKey(String tenant) {
        return "customer-" + tenant;
    }

    static RequestOptions key(String idempotencyKey) {
        return RequestOptions.builder().setIdempotencyKey(idempotencyKey).build();
    }

    private Timestamp now() {
        return Timestamp.from(clock.instant());
    }

    /** One Stripe request (or a few) for one thing; answers the Stripe id to store, if any. */
    @FunctionalInterface
    private interface StripeCall {
        String send() throws StripeException;
    }
}
