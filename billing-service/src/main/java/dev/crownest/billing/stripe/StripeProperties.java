package dev.crownest.billing.stripe;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Stripe sync settings under {@code crownest.billing.stripe}. The sync runs only when {@code api-key}
 * is set (env STRIPE_API_KEY).
 *
 * @param apiKey            secret key; never logged (see {@link #toString()})
 * @param apiBase           Stripe's API base, default {@code https://api.stripe.com}; tests point it at a local fake
 * @param meterEventName    the Billing meter's event name, default {@code crownest_compute_unit_seconds}
 * @param batchSize         rows of each kind sent per run, default 20
 * @param backoffBase       wait after a first failure, doubled per further failure, default 1s
 * @param backoffMax        longest wait between attempts, default 5m
 * @param maxNetworkRetries stripe-java's own retries of one call (same idempotency key), default 2
 * @param daysUntilDue      due date of Stripe invoices sent for collection, default 30
 */
@ConfigurationProperties("crownest.billing.stripe")
public record StripeProperties(
        String apiKey,
        @DefaultValue("https://api.stripe.com") String apiBase,
        @DefaultValue("crownest_compute_unit_seconds") String meterEventName,
        @DefaultValue("20") int batchSize,
        @DefaultValue("1s") Duration backoffBase,
        @DefaultValue("5m") Duration backoffMax,
        @DefaultValue("2") int maxNetworkRetries,
        @DefaultValue("30") long daysUntilDue) {
    @Override
    public String toString() {
        return "StripeProperties[apiBase=" + apiBase + ", meterEventName=" + meterEventName + ", apiKey=<redacted>]";
    }
}
