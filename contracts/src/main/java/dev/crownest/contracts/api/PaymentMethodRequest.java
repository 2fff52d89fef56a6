package dev.crownest.contracts.api;

/**
 * A tenant admin's payment method ({@code PUT /v1/billing/payment-method}).
 *
 * @param paymentMethodId a Stripe payment method id ({@code pm_...}, made by Stripe.js or Stripe's test
 *                        tokens such as {@code pm_card_visa}); the card itself never reaches CrowNest
 */
public record PaymentMethodRequest(String paymentMethodId) {}
