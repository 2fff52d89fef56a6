package dev.crownest.contracts.api;

import java.time.Instant;

/** The tenant's payment method at Stripe: its customer, the method and what Stripe says of the card. */
public record PaymentMethodView(
        String tenantId, String customerId, String paymentMethodId, String brand, String last4, Instant addedAt) {}
