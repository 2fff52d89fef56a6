package dev.crownest.metering.pricing;

import dev.crownest.contracts.api.TenantPricingView;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Each tenant's pricing pins ({@code tenant_pricing_pin}). A tenant is pinned to the configured default at its
 * first use; the operator's pins arrive as {@code TenantPricingPinned} events ({@link PricingPinFollower}).
 *
 * <p>Pins are not cached: every rated batch reads its tenants' pins in its own transaction (one indexed query per
 * batch), so a pin stored by any instance applies on all of them from its first second. A second must never move
 * from one version to another (it would then count in two sandbox-hour rows), so a pin takes effect only after
 * every second already metered: it is written under an exclusive advisory lock that each rating transaction holds
 * shared, and is effective from the latest of the first second after the pin, the first second after now and the
 * first second after the tenant's last metered one.
 */
@Repository
public class PricingPins {
    /** The advisory lock between rating (shared) and pinning (exclusive); any constant no other code uses. */
    private static final long RATING_LOCK = 0x70726963696e67L;

    private final JdbcTemplate jdbc;
    private final PricingCatalog catalog;
    private final Clock clock;
    private final String defaultVersion;

    PricingPins(
            JdbcTemplate jdbc,
            PricingCatalog catalog,
            Clock clock,
            @Value("${crownest.pricing.default-version}") String defaultVersion) {
        this.jdbc = jdbc;
        this.catalog = catalog;
        this.clock = clock;
        this.defaultVersion = defaultVersion;
    }

    /**
     * The pins of the tenants a batch rates, read inside the rating transaction after taking the shared lock, so
     * no pin can be written between this read and the batch's commit.
     */
    public Map<String, PinHistory> forRating(Collection<String> tenants) {
        jdbc.query("SELECT pg_advisory_xact_lock_shared(?)", rs -> {}, RATING_LOCK);
        return histories(tenants);
    }

    /** Marks the versions a batch rates with, in its transaction: from its commit on they can never change. */
    public void rated(Collection<String> versions) {
        catalog.markRated(versions);
    }

    /** The version the tenant's usage is rated at now: what admission prices a new sandbox at. */
    public PricingVersion current(String tenantId) {
        return catalog.version(histories(List.of(tenantId))
                .get(tenantId)
                .versionAt(clock.instant().getEpochSecond()));
    }

    /** The tenant's latest pin (which may take effect in a moment), once it has one. */
    public Optional<TenantPricingView> latest(String tenantId) {
        return jdbc
                .query(
                        """
                        SELECT pricing_version, effective_from FROM tenant_pricing_pin WHERE tenant_id = ?
                        ORDER BY effective_from DESC LIMIT 1""",
                        (rs, i) ->
                                new TenantPricingView(tenantId, rs.getString(1), Instant.ofEpochSecond(rs.getLong(2))),
                        tenantId)
                .stream()
                .findFirst();
    }

    /**
     * Pins the tenant to {@code version} after every second already metered (see the class comment). Answers
     * false, changing nothing, for an event older than or as old as the tenant's latest pin (a replay).
     * Call in a transaction.
     */
    boolean pin(String tenantId, String version, Instant at, String actor) {
        jdbc.query("SELECT pg_advisory_xact_lock(?)", rs -> {}, RATING_LOCK);
        Timestamp latest = jdbc.queryForObject(
                "SELECT max(pinned_at) FROM tenant_pricing_pin WHERE tenant_id = ?", Timestamp.class, tenantId);
        if (latest != null && !at.isAfter(latest.toInstant())) {
            return false;
        }
        histories(List.of(tenantId)); // the seconds before the pin keep the version they had: pin the default first
        Long lastMetered = jdbc.queryForObject("""
                SELECT max(u.hour + s.n) FROM usage_hour u CROSS JOIN generate_series(0, 3599) AS s(n)
                WHERE u.tenant_id = ? AND u.hour = (SELECT max(hour) FROM usage_hour WHERE tenant_id = ?)
                  AND get_bit(u.seconds_metered, s.n) = 1""", Long.class, tenantId, tenantId);
        long afterPin = at.getEpochSecond() + (at.getNano() > 0 ? 1 : 0);
        long effective = Math.max(
                afterPin, Math.max(clock.instant().getEpochSecond() + 1, lastMetered == null ? 0 : lastMetered + 1));
        jdbc.update("""
                INSERT INTO tenant_pricing_pin (tenant_id, effective_from, pricing_version, pinned_at, pinned_by)
                VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (tenant_id, effective_from) DO UPDATE SET
                    pricing_version = excluded.pricing_version, pinned_at = excluded.pinned_at, pinned_by = excluded.pinned_by""", tenantId, effective, version, Timestamp.from(at), actor);
        return true;
    }

    private record Pin(long effectiveFrom, String version) {}

    /** The tenants' pins; a tenant without any is pinned to the default from second 0 first. */
    private Map<String, PinHistory> histories(Collection<String> tenants) {
        String[] ids = tenants.stream().distinct().toArray(String[]::new);
        Map<String, List<Pin>> pins = read(ids);
        if (pins.size() < ids.length) {
            jdbc.update("""
                    INSERT INTO tenant_pricing_pin (tenant_id, effective_from, pricing_version, pinned_at, pinned_by)
                    SELECT t, 0, ?, 'epoch', 'system' FROM unnest(?::text[]) AS t ON CONFLICT DO NOTHING""", defaultVersion, (Object) ids);
            pins = read(ids);
        }
        Map<String, PinHistory> histories = new HashMap<>();
        pins.forEach((tenant, list) -> histories.put(
                tenant,
                new PinHistory(
                        list.stream().mapToLong(Pin::effectiveFrom).toArray(),
                        list.stream().map(Pin::version).toArray(String[]::new))));
        return histories;
    }

    private Map<String, List<Pin>> read(String[] tenantIds) {
        Map<String, List<Pin>> pins = new HashMap<>();
        jdbc.query(
                """
                SELECT tenant_id, effective_from, pricing_version FROM tenant_pricing_pin
                WHERE tenant_id = ANY(?) ORDER BY tenant_id, effective_from""",
                rs -> {
                    pins.computeIfAbsent(rs.getString(1), t -> new ArrayList<>())
                            .add(new Pin(rs.getLong(2), rs.getString(3)));
                },
                (Object) tenantIds);
        return pins;
    }
}
