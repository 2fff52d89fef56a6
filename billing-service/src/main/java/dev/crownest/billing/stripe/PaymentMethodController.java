package dev.crownest.billing.stripe;

import dev.crownest.contracts.api.ApiException;
import dev.crownest.contracts.api.PaymentMethodRequest;
import dev.crownest.contracts.api.PaymentMethodView;
import dev.crownest.kit.caller.Caller;
import java.util.regex.Pattern;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code PUT /internal/billing/payment-method}: the tenant admin's payment method (the gateway lets only
 * admin sessions reach it, never API keys). Without Stripe configured it is 409 {@code payments_not_configured}:
 * asking again will not help, the operator has to set {@code STRIPE_API_KEY}.
 */
@RestController
class PaymentMethodController {
    private static final Pattern STRIPE_ID = Pattern.compile("pm_[A-Za-z0-9_]{1,250}");

    private final ObjectProvider<PaymentMethods> stripe;
    private final PaymentMethodBook book;

    PaymentMethodController(ObjectProvider<PaymentMethods> stripe, PaymentMethodBook book) {
        this.stripe = stripe;
        this.book = book;
    }

    @PutMapping("/internal/billing/payment-method")
    PaymentMethodView put(Caller caller, @RequestBody(required = false) PaymentMethodRequest body) {
        String id = body == null ? null : body.paymentMethodId();
        if (id == null || !STRIPE_ID.matcher(id).matches()) {
            throw ApiException.badRequest(
                    "invalid_payment_method", "paymentMethodId must be a Stripe payment method id (pm_...)");
        }
        PaymentMethods payments = stripe.getIfAvailable();
        if (payments == null) {
            throw ApiException.conflict(
                    "payments_not_configured", "no payment provider is configured on this platform (STRIPE_API_KEY)");
        }
        return book.record(caller.tenant(), payments.attach(caller.tenant(), id), caller.actorOrUnknown());
    }
}
