package dev.crownest.metering.pricing;

import dev.crownest.contracts.api.ApiException;
import dev.crownest.contracts.api.PricingVersionView;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The published pricing versions. A version never changes once published (a new price is a new id, and the
 * database refuses to change one that rated usage), so each is cached once read.
 */
@Repository
public class PricingCatalog {
    private static final String COLUMNS =
            "version, usd_per_compute_unit_hour, vcpu_per_unit, memory_mb_per_unit, published_at, first_rated_at";

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final Map<String, PricingVersion> versions = new ConcurrentHashMap<>();
    /** Versions known to have rated usage: their row is not written again. */
    private final Set<String> rated = ConcurrentHashMap.newKeySet();

    PricingCatalog(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** A version known to exist (a pin names it: the foreign key saw to that). */
    public PricingVersion version(String id) {
        return versions.computeIfAbsent(id, v -> find(v).orElseThrow());
    }

    Optional<PricingVersion> find(String id) {
        PricingVersion cached = versions.get(id);
        if (cached != null) {
            return Optional.of(cached);
        }
        return jdbc
                .query("SELECT " + COLUMNS + " FROM pricing_version WHERE version = ?", PricingCatalog::version, id)
                .stream()
                .findFirst();
    }

    /** Publishes a checked version; 409 {@code pricing_version_exists} if the id is taken, whatever its prices. */
    PricingVersionView publish(PricingVersion version, String actor) {
        int added = jdbc.update(
                """
                INSERT INTO pricing_version (version, usd_per_compute_unit_hour, vcpu_per_unit, memory_mb_per_unit,
                                             published_at, published_by)
                VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (version) DO NOTHING""",
                version.version(),
                version.usdPerComputeUnitHour(),
                version.vcpuPerUnit(),
                version.memoryMbPerUnit(),
                Timestamp.from(clock.instant()),
                actor);
        if (added == 0) {
            throw ApiException.conflict(
                    "pricing_version_exists",
                    "pricing version " + version.version() + " exists; versions never change: publish a new id");
        }
        return view(version.version()).orElseThrow();
    }

    List<PricingVersionView> list() {
        return jdbc.query(
                "SELECT " + COLUMNS + " FROM pricing_version ORDER BY published_at, version", PricingCatalog::view);
    }

    Optional<PricingVersionView> view(String id) {
        return jdbc
                .query("SELECT " + COLUMNS + " FROM pricing_version WHERE version = ?", PricingCatalog::view, id)
                .stream()
                .findFirst();
    }

    /** Marks the versions a batch rated with as used (once each: a used version's row is not written again). */
    void markRated(Collection<String> used) {
        String[] unmarked =
                used.stream().filter(v -> !rated.contains(v)).sorted().toArray(String[]::new);
        if (unmarked.length == 0) {
            return;
        }
        jdbc.update(
                "UPDATE pricing_version SET first_rated_at = now() WHERE version = ANY(?) AND first_rated_at IS NULL",
                (Object) unmarked);
        // Only this transaction's commit makes it true; a rollback leaves the next batch to mark it again,
        // which is harmless, so it is remembered once the transaction ends well.
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                rated.addAll(List.of(unmarked));
            }
        });
    }

    private static PricingVersion version(ResultSet rs, int row) throws SQLException {
        return new PricingVersion(rs.getString(1), rs.getBigDecimal(2), rs.getBigDecimal(3), rs.getBigDecimal(4));
    }

    private static PricingVersionView view(ResultSet rs, int row) throws SQLException {
        return new PricingVersionView(
                rs.getString(1),
                plain(rs.getBigDecimal(2)),
                plain(rs.getBigDecimal(3)),
                plain(rs.getBigDecimal(4)),
                rs.getTimestamp(5).toInstant(),
                rs.getTimestamp(6) != null);
    }

    private static BigDecimal plain(BigDecimal value) {
        return value.stripTrailingZeros().scale() < 0 ? value.setScale(0) : value.stripTrailingZeros();
    }
}
