package dev.crownest.metering.usage;

import dev.crownest.metering.pricing.PinHistory;
import dev.crownest.metering.pricing.PricingCatalog;
import dev.crownest.metering.pricing.PricingPins;
import dev.crownest.metering.pricing.PricingVersion;
import dev.crownest.metering.quota.QuotaPeriod;
import dev.crownest.metering.span.MeteredSpan;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The {@code usage_hour} table: per sandbox, hour and pricing version, a bitmap of the seconds metered.
 * Each second belongs to the one version its tenant's pins put it at ({@link PricingPins}), so an hour
 * that spans a pin has two rows and no second is in both. A batch is
 * one statement: samples become bits (grouped in the database), each sandbox-hour row is upserted,
 * and only bits that were 0 are counted and priced. Samples of seconds after the sandbox ended
 * (per its lifecycle events) are dropped before that, and so are a node's samples of the second a started
 * sandbox ended in and of seconds before it started (its running intervals bill those by the ceiling rule).
 */
@Repository
class UsageHours {
    private static final String UPSERT = """
            WITH g AS (
                SELECT * FROM unnest(?::text[], ?::text[], ?::bigint[], ?::text[], ?::int[], ?::int[], ?::text[], ?::numeric[], ?::numeric[])
                    WITH ORDINALITY AS g(tenant_id, sandbox_id, hour, project_id, vcpu, memory_mb, pricing_version, unit_cus, unit_amount, idx)),
            s AS (
                -- bit n of a bit(3600) is second hour + n
                SELECT idx, bit_or(B'1'::bit(3600) >> off) AS bits FROM unnest(?::bigint[], ?::int[]) AS s(idx, off) GROUP BY idx)
            INSERT INTO usage_hour AS u (tenant_id, sandbox_id, hour, project_id, vcpu, memory_mb, pricing_version,
                                         unit_compute_units, unit_amount_usd, seconds_metered, last_added, seconds,
                                         compute_unit_seconds, amount_usd)
            SELECT g.tenant_id, g.sandbox_id, g.hour, g.project_id, g.vcpu, g.memory_mb, g.pricing_version, g.unit_cus, g.unit_amount,
                   s.bits, s.bits, bit_count(s.bits), bit_count(s.bits) * g.unit_cus, bit_count(s.bits) * g.unit_amount
            FROM g JOIN s USING (idx)
            ON CONFLICT (tenant_id, sandbox_id, hour, pricing_version) DO UPDATE SET
                last_added = EXCLUDED.seconds_metered & ~u.seconds_metered,
                seconds_metered = u.seconds_metered | EXCLUDED.seconds_metered,
                seconds = u.seconds + bit_count(EXCLUDED.seconds_metered & ~u.seconds_metered),
                compute_unit_seconds = u.compute_unit_seconds + bit_count(EXCLUDED.seconds_metered & ~u.seconds_metered) * u.unit_compute_units,
                amount_usd = u.amount_usd + bit_count(EXCLUDED.seconds_metered & ~u.seconds_metered) * u.unit_amount_usd,
                last_rated_at = now()
            RETURNING tenant_id, project_id, sandbox_id, pricing_version, hour, bit_count(last_added),
                      bit_count(last_added) * unit_compute_units, bit_count(last_added) * unit_amount_usd""";

    private final JdbcTemplate jdbc;
    private final PricingCatalog pricing;
    private final PricingPins pins;

    UsageHours(JdbcTemplate jdbc, PricingCatalog pricing, PricingPins pins) {
        this.jdbc = jdbc;
        this.pricing = pricing;
        this.pins = pins;
    }

    /** The batch's samples of one sandbox-hour and pricing version; {@code index} is its 1-based position in the statement's arrays. */
    private static final class Group {
        final int index;
        final MeteredSample first;
        final long hour;
        final PricingVersion version;
        long from = Long.MAX_VALUE;
        long to = Long.MIN_VALUE;

        Group(int index, MeteredSample first, long hour, PricingVersion version) {
            this.index = index;
            this.first = first;
            this.hour = hour;
            this.version = version;
        }
    }

    private record GroupKey(String tenantId, String sandboxId, long hour, String version) {}

    /** Rates and stores the samples in the caller's transaction; answers the newly metered seconds per sandbox-hour. */
    List<MeteredSpan> insert(List<MeteredSample> samples, Source source) {
        Map<String, Lifespan> lifespans = lifespans(samples);
        // each second at the version its tenant's pins put it at (read under the pins' shared lock)
        Map<String, PinHistory> pinned =
                pins.forRating(samples.stream().map(MeteredSample::tenantId).toList());
        Map<GroupKey, Group> groups = new LinkedHashMap<>();
        // bit offset n of sample i goes to the group numbered sampleGroup[i]; the first `kept` are used
        long[] sampleGroup = new long[samples.size()];
        int[] sampleOffset = new int[samples.size()];
        int kept = 0;
        for (MeteredSample s : samples) {
            Lifespan lifespan = lifespans.get(s.sandboxId());
            if (lifespan != null && lifespan.drops(s.second(), source)) {
                continue; // sampled outside its life as its lifecycle tells it
            }
            long hour = Math.floorDiv(s.second(), 3600) * 3600;
            String version = pinned.get(s.tenantId()).versionAt(s.second());
            Group group = groups.computeIfAbsent(
                    new GroupKey(s.tenantId(), s.sandboxId(), hour, version),
                    k -> new Group(groups.size() + 1, s, hour, pricing.version(version)));
            group.from = Math.min(group.from, s.second());
            group.to = Math.max(group.to, s.second());
            sampleGroup[kept] = group.index;
            sampleOffset[kept] = (int) (s.second() - hour);
            kept++;
        }
        if (groups.isEmpty()) {
            return List.of();
        }
        pins.rated(groups.keySet().stream().map(GroupKey::version).distinct().toList());
        int n = groups.size();
        String[] tenants = new String[n];
        String[] sandboxes = new String[n];
        long[] hours = new long[n];
        String[] projects = new String[n];
        int[] vcpus = new int[n];
        int[] memory = new int[n];
        String[] versions = new String[n];
        BigDecimal[] unitUnits = new BigDecimal[n];
        BigDecimal[] unitAmounts = new BigDecimal[n];
        List<Group> ordered = new ArrayList<>(groups.values());
        Map<String, BigDecimal[]> priced = new HashMap<>();
        for (int i = 0; i < n; i++) {
            Group g = ordered.get(i);
            MeteredSample s = g.first;
            tenants[i] = s.tenantId();
            sandboxes[i] = s.sandboxId();
            hours[i] = g.hour;
            projects[i] = s.projectId();
            vcpus[i] = s.vcpu();
            memory[i] = s.memoryMb();
            versions[i] = g.version.version();
            BigDecimal[] price =
                    priced.computeIfAbsent(g.version.version() + '/' + s.vcpu() + '/' + s.memoryMb(), k -> {
                        BigDecimal units = g.version.computeUnitSeconds(s.vcpu(), s.memoryMb());
                        return new BigDecimal[] {units, g.version.amountUsd(units)};
                    });
            unitUnits[i] = price[0];
            unitAmounts[i] = price[1];
        }
        return jdbc
                .query(
                        UPSERT,
                        (rs, i) -> {
                            long hour = rs.getLong(5);
                            Group g = groups.get(new GroupKey(rs.getString(1), rs.getString(3), hour, rs.getString(4)));
                            return new MeteredSpan(
                                    rs.getString(1),
                                    rs.getString(2),
                                    rs.getString(3),
                                    rs.getString(4),
                                    QuotaPeriod.of(hour),
                                    g.from,
                                    g.to,
                                    rs.getLong(6),
                                    rs.getBigDecimal(7),
                                    rs.getBigDecimal(8));
                        },
                        tenants,
                        sandboxes,
                        hours,
                        projects,
                        vcpus,
                        memory,
                        versions,
                        unitUnits,
                        unitAmounts,
                        Arrays.copyOf(sampleGroup, kept),
                        Arrays.copyOf(sampleOffset, kept))
                .stream()
                .filter(span -> span.seconds() > 0)
                .toList();
    }

    /**
     * When a sandbox started and ended by its lifecycle (epoch seconds; null if not yet). A sample after
     * the end's second is dropped; so are a node's samples of the end's second and of seconds before the
     * start's (the node starts a sandbox a moment before the control plane records it): the running
     * intervals bill those by the ceiling rule, whatever a node says, late or early.
     */
    private record Lifespan(Long started, Long ended) {
        boolean drops(long second, Source source) {
            if (ended != null && second > ended) {
                return true;
            }
            return source == Source.NODE && started != null && (second < started || (ended != null && second == ended));
        }
    }

    /** The lifespans of the batch's sandboxes, for those that started or ended. */
    private Map<String, Lifespan> lifespans(List<MeteredSample> samples) {
        String[] ids = samples.stream().map(MeteredSample::sandboxId).distinct().toArray(String[]::new);
        Map<String, Lifespan> lifespans = new HashMap<>();
        jdbc.query(
                """
                SELECT sandbox_id, floor(extract(epoch FROM started_at))::bigint AS started,
                       floor(extract(epoch FROM ended_at))::bigint AS ended
                FROM sandbox_allocation WHERE sandbox_id = ANY(?) AND (started_at IS NOT NULL OR ended_at IS NOT NULL)""",
                rs -> {
                    lifespans.put(
                            rs.getString(1), new Lifespan(rs.getObject(2, Long.class), rs.getObject(3, Long.class)));
                },
                (Object) ids);
        return lifespans;
    }
}
