package dev.crownest.gateway.idempotency;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code crownest.idempotency.*}.
 *
 * @param retention   how long an answer is replayed for the same key (Stripe: 24 h)
 * @param lease       how long a claim holds without an answer before another gateway may take it over
 *                    (longer than the slowest request: a blocking command's timeout)
 * @param maxWait     how long a request waits for a simultaneous one with the same key before 409
 * @param pollInterval how often a waiting request looks for the first one's answer
 */
@ConfigurationProperties("crownest.idempotency")
record IdempotencyProperties(
        @DefaultValue("24h") Duration retention,
        @DefaultValue("15m") Duration lease,
        @DefaultValue("5m") Duration maxWait,
        @DefaultValue("20ms") Duration pollInterval) {}
