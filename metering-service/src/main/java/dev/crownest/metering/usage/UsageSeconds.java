package dev.crownest.metering.usage;

import dev.crownest.contracts.event.UsageSampled;
import dev.crownest.metering.pricing.PricingCatalog;
import dev.crownest.metering.pricing.PricingVersion;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The {@code usage_second} table: one row per sandbox per second. A batch goes in as one statement
 * over arrays; the primary key with ON CONFLICT DO NOTHING makes a resent or replayed second count
 * once, and seconds sampled after the sandbox ended (per its lifecycle events) are not metered.
 */
@Repository
class UsageSeconds {
    private final JdbcTemplate jdbc;
    private final PricingCatalog pricing;

    UsageSeconds(JdbcTemplate jdbc, PricingCatalog pricing) {
        this.jdbc = jdbc;
        this.pricing = pricing;
    }

    /** Rates and stores the samples in the caller's transaction; answers the new seconds, summed per sandbox. */
    List<MeteredSpan> insert(List<UsageSampled> samples) {
        int n = samples.size();
        String[] sandboxes = new String[n];
        long[] seconds = new long[n];
        String[] tenants = new String[n];
        String[] projects = new String[n];
        int[] vcpus = new int[n];
        int[] memory = new int[n];
        BigDecimal[] units = new BigDecimal[n];
        String[] versions = new String[n];
        BigDecimal[] amounts = new BigDecimal[n];
        UUID[] eventIds = new UUID[n];
        // A batch holds few distinct (version, allocation) pairs: price each once.
        Map<String, BigDecimal[]> priced = new HashMap<>();
        for (int i = 0; i < n; i++) {
            UsageSampled s = samples.get(i);
            PricingVersion version = pricing.forTenant(s.tenantId());
            BigDecimal[] price = priced.computeIfAbsent(version.version() + '/' + s.vcpu() + '/' + s.memoryMb(), k -> {
                BigDecimal cus = version.computeUnitSeconds(s.vcpu(), s.memoryMb());
                return new BigDecimal[]{cus, version.amountUsd(cus)};
            });
            sandboxes[i] = s.sandboxId();
            seconds[i] = s.second();
            tenants[i] = s.tenantId();
            projects[i] = s.projectId();
            vcpus[i] = s.vcpu();
            memory[i] = s.memoryMb();
            units[i] = price[0];
            versions[i] = version.version();
            amounts[i] = price[1];
            eventIds[i] = s.eventId();
        }
        // Summed in the database: the batch's rows never come back one by one.
        return jdbc.query("""
                WITH inserted AS (
                INSERT INTO usage_second (sandbox_id, second, tenant_id, project_id, vcpu, memory_mb,
                                          compute_unit_seconds, pricing_version, amount_usd, event_id)
                SELECT u.sandbox_id, u.second, u.tenant_id, u.project_id, u.vcpu, u.memory_mb, u.units, u.version, u.amount, u.event_id
                FROM unnest(?::text[], ?::bigint[], ?::text[], ?::text[], ?::int[], ?::int[], ?::numeric[], ?::text[], ?::numeric[], ?::uuid[])
                     AS u(sandbox_id, second, tenant_id, project_id, vcpu, memory_mb, units, version, amount, event_id)
                LEFT JOIN sandbox_allocation a ON a.sandbox_id = u.sandbox_id
                WHERE a.ended_at IS NULL OR u.second <= floor(extract(epoch FROM a.ended_at))
                ON CONFLICT DO NOTHING
                RETURNING tenant_id, project_id, sandbox_id, pricing_version, second, compute_unit_seconds, amount_usd)
                SELECT tenant_id, project_id, sandbox_id, pricing_version,
                       date_trunc('month', to_timestamp(second) AT TIME ZONE 'UTC')::date AS period,
                       min(second), max(second), count(*), sum(compute_unit_seconds), sum(amount_usd)
                FROM inserted GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5""",
                (rs, i) -> new MeteredSpan(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getObject(5, java.time.LocalDate.class), rs.getLong(6), rs.getLong(7), rs.getLong(8),
                        rs.getBigDecimal(9), rs.getBigDecimal(10)),
                sandboxes, seconds, tenants, projects, vcpus, memory, units, versions, amounts, eventIds);
    }
}
