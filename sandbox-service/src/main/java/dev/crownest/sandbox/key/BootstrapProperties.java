package dev.crownest.sandbox.key;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code crownest.bootstrap.*}: the default tenant's key that {@code ./crownest up} generated.
 *
 * @param tenantId   {@code CROWNEST_BOOTSTRAP_TENANT_ID}, default {@code default}
 * @param apiKeyHash {@code CROWNEST_BOOTSTRAP_API_KEY_HASH}: SHA-256 hex of the key; none = no bootstrap key
 */
@ConfigurationProperties(prefix = "crownest.bootstrap")
public record BootstrapProperties(@DefaultValue("default") String tenantId, String apiKeyHash) {}
