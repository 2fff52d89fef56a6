package dev.crownest.billing.stripe;

import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

/**
 * True when {@code crownest.billing.stripe.api-key} has text. (ConditionalOnProperty would match the
 * empty value application.yml maps from an unset STRIPE_API_KEY.)
 */
class StripeConfigured implements Condition {
    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
        return StringUtils.hasText(context.getEnvironment().getProperty("crownest.billing.stripe.api-key"));
    }
}
