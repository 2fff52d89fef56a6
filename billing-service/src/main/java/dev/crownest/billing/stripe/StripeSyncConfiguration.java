package dev.crownest.billing.stripe;

import com.stripe.StripeClient;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/** The StripeClient of the sync, built only when an API key is configured. */
@Configuration(proxyBeanMethods = false)
@Conditional(StripeConfigured.class)
@EnableConfigurationProperties(StripeProperties.class)
class StripeSyncConfiguration {
    @Bean
    StripeClient stripeClient(StripeProperties properties) {
        // a client of its own (not the static Stripe.apiKey), pointed at the configured base
        return StripeClient.builder()
                .setApiKey(properties.apiKey())
                .setApiBase(properties.apiBase())
                .setMaxNetworkRetries(properties.maxNetworkRetries())
                .build();
    }
}
