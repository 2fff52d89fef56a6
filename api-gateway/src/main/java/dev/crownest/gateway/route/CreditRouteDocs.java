package dev.crownest.gateway.route;

import static java.util.Map.entry;

import dev.crownest.contracts.api.CreditGrantRequest;
import dev.crownest.contracts.api.CreditGrantView;
import dev.crownest.contracts.api.PaymentMethodRequest;
import dev.crownest.contracts.api.PaymentMethodView;
import dev.crownest.gateway.route.RouteDocs.Doc;
import java.util.Map;

/** The OpenAPI entries of the credit routes (billing-service: grants, payment method), beside {@link RouteDocs}'. */
final class CreditRouteDocs {
    static final Map<String, Doc> DOCS = Map.ofEntries(
            entry(
                    "POST /v1/credits/grants",
                    Doc.of(
                                    "Grant a tenant credit (operator session, ?tenantId=). A tenant held for exhausted "
                                            + "credit whose credit is above zero again may resume its sandboxes (credits.restored); "
                                            + "400 invalid_amount (0 < amountUsd <= 1000000, 10 decimals), invalid_reason (1..200)")
                            .body(CreditGrantRequest.class)
                            .answers(201, CreditGrantView.class)
                            .query("tenantId")),
            entry(
                    "PUT /v1/billing/payment-method",
                    Doc.of(
                                    "Set the tenant's payment method (admin session, never an API key): a Stripe customer "
                                            + "and the payment method (pm_..., from Stripe.js) attached as its default. Lifts a "
                                            + "credit stop (credits.restored). 400 invalid_payment_method, 402 "
                                            + "payment_method_refused, 409 payments_not_configured (no Stripe key), 503 payments_unavailable")
                            .body(PaymentMethodRequest.class)
                            .answers(200, PaymentMethodView.class)
                            .query("tenantId")));

    private CreditRouteDocs() {}
}
