package dev.crownest.billing.stripe;

import com.stripe.StripeClient;
import com.stripe.exception.CardException;
import com.stripe.exception.InvalidRequestException;
import com.stripe.exception.StripeException;
import com.stripe.model.Customer;
import com.stripe.model.PaymentMethod;
import com.stripe.net.RequestOptions;
import com.stripe.param.CustomerUpdateParams;
import com.stripe.param.PaymentMethodAttachParams;
import dev.crownest.contracts.api.ApiException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Conditional;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Makes a tenant's Stripe customer (the one the sync would make: same idempotency key, recorded in the
 * sync log so the sync makes no second) and attaches the payment method to it as its default for
 * invoices. Stripe is called outside any database transaction; {@link PaymentMethodBook} records the
 * result and lifts a credit hold.
 */
@Component
@Conditional(StripeConfigured.class)
class PaymentMethods {
    private static final Logger log = LoggerFactory.getLogger(PaymentMethods.class);

    private final StripeClient stripe;
    private final StripeSyncLog syncLog;
    private final JdbcTemplate jdbc;

    PaymentMethods(StripeClient stripe, StripeSyncLog syncLog, JdbcTemplate jdbc) {
        this.stripe = stripe;
        this.syncLog = syncLog;
        this.jdbc = jdbc;
    }

    /** The customer, the method attached and made its default: what Stripe answered of it. */
    record Attached(String customerId, String paymentMethodId, String brand, String last4) {}

    Attached attach(String tenant, String paymentMethodId) {
        try {
            String customer = customer(tenant);
            PaymentMethod method = stripe.v1()
                    .paymentMethods()
                    .attach(
                            paymentMethodId,
                            PaymentMethodAttachParams.builder()
                                    .setCustomer(customer)
                                    .build(),
                            key("pm-attach-" + tenant + "-" + paymentMethodId));
            stripe.v1()
                    .customers()
                    .update(
                            customer,
                            CustomerUpdateParams.builder()
                                    .setInvoiceSettings(CustomerUpdateParams.InvoiceSettings.builder()
                                            .setDefaultPaymentMethod(method.getId())
                                            .build())
                                    .build(),
                            key("pm-default-" + tenant + "-" + paymentMethodId));
            var card = method.getCard();
            return new Attached(
                    customer,
                    method.getId(),
                    card == null ? null : card.getBrand(),
                    card == null ? null : card.getLast4());
        } catch (CardException | InvalidRequestException refused) {
            // Stripe's own words on the card or the id; never the key or the request
            throw new ApiException(
                    HttpStatus.PAYMENT_REQUIRED.value(),
                    "billing",
                    "payment_method_refused",
                    "Stripe refused the payment method: "
                            + (refused.getStripeError() == null
                                    ? refused.getCode()
                                    : refused.getStripeError().getMessage()));
        } catch (StripeException e) {
            log.warn("stripe could not attach a payment method for tenant {}: {}", tenant, e.getMessage());
            throw ApiException.unavailable("payments_unavailable", "the payment provider did not answer; try again");
        }
    }

    private String customer(String tenant) throws StripeException {
        List<String> known = jdbc.queryForList(
                "SELECT stripe_customer_id FROM billing_account WHERE tenant_id = ? AND stripe_customer_id IS NOT NULL",
                String.class,
                tenant);
        if (!known.isEmpty()) {
            return known.get(0);
        }
        jdbc.update(
                "INSERT INTO billing_account (tenant_id, created_at) VALUES (?, now()) ON CONFLICT DO NOTHING", tenant);
        // the sync's own call: one customer per tenant whoever asks first
        Customer customer = stripe.v1()
                .customers()
                .create(StripeSyncJob.customerParams(tenant), key(StripeSyncJob.customerKey(tenant)));
        syncLog.synced("customer", tenant, customer.getId());
        return customer.getId();
    }

    private static RequestOptions key(String idempotencyKey) {
        return StripeSyncJob.key(idempotencyKey);
    }
}
