package dev.crownest.sandbox.quota;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code crownest.metering.*}: where metering-service answers admissions.
 *
 * @param url {@code CROWNEST_METERING_URL}, default {@code http://localhost:8084}; blank switches
 *            quota admission off (a deployment without metering has no quotas)
 */
@ConfigurationProperties("crownest.metering")
public record MeteringProperties(String url) {
    public MeteringProperties {
        url = url == null ? "http://localhost:8084" : url.trim();
    }

    public boolean admissionEnabled() {
        return !url.isEmpty();
    }
}
