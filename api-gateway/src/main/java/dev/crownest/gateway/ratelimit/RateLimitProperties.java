package dev.crownest.gateway.ratelimit;

import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code crownest.rate-limit.*}: how many requests one API key may make at one gateway.
 *
 * @param requestsPerSecond the sustained rate per key
 * @param burst             how many requests a key may make at once after being idle
 * @param tenants           other limits for the keys of some tenants (tenant id → limit)
 */
@ConfigurationProperties("crownest.rate-limit")
record RateLimitProperties(
        @DefaultValue("100") double requestsPerSecond,
        @DefaultValue("200") double burst,
        @DefaultValue Map<String, Limit> tenants) {

    /** A rate and burst. */
    record Limit(double requestsPerSecond, double burst) {}

    Limit forTenant(String tenantId) {
        return tenants.getOrDefault(tenantId, new Limit(requestsPerSecond, burst));
    }
}
