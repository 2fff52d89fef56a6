package dev.crownest.metering.pricing;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** Pricing versions and each tenant's pin. Versions never change, so they are cached. */
@Repository
public class PricingCatalog {
    private final JdbcTemplate jdbc;
    private final String defaultVersion;
    private final Map<String, PricingVersion> versions = new ConcurrentHashMap<>();
    private final Map<String, String> pins = new ConcurrentHashMap<>();

    public PricingCatalog(JdbcTemplate jdbc, @Value("${crownest.pricing.default-version}") String defaultVersion) {
        this.jdbc = jdbc;
        this.defaultVersion = defaultVersion;
    }

    /** The tenant's version, pinning it to the default at its first use. Call inside the metering transaction. */
    public PricingVersion forTenant(String tenantId) {
        String version = pins.computeIfAbsent(tenantId, t -> {
            jdbc.update(
                    "INSERT INTO tenant_pricing (tenant_id, pricing_version) VALUES (?, ?) ON CONFLICT DO NOTHING",
                    t,
                    defaultVersion);
            return jdbc.queryForObject(
                    "SELECT pricing_version FROM tenant_pricing WHERE tenant_id = ?", String.class, t);
        });
        return versions.computeIfAbsent(
                version,
                v -> jdbc.queryForObject(
                        "SELECT version, usd_per_compute_unit_hour, vcpu_per_unit, memory_mb_per_unit FROM pricing_version WHERE version = ?",
                        (rs, i) -> new PricingVersion(
                                rs.getString(1), rs.getBigDecimal(2), rs.getBigDecimal(3), rs.getBigDecimal(4)),
                        v));
    }
}
