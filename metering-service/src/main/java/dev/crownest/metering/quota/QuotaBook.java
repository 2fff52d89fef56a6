package dev.crownest.metering.quota;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Each bucket's effective limits: the operator's row if there is one, else the tenant's plan for
 * the tenant bucket and nothing for a project bucket. Read on every metered batch and admission,
 * so it is cached and invalidated on change (one metering instance owns the quota tables).
 */
@Repository
public class QuotaBook {
    /** The bucket key of a tenant's own bucket; a project bucket's key is the project id. */
    public static final String TENANT_BUCKET = "";

    private final JdbcTemplate jdbc;
    private final QuotaProperties properties;
    private final Map<String, QuotaLimits> cache = new ConcurrentHashMap<>();
    private final Map<String, String> plans = new ConcurrentHashMap<>();

    public QuotaBook(JdbcTemplate jdbc, QuotaProperties properties) {
        this.jdbc = jdbc;
        this.properties = properties;
        if (!properties.plans().containsKey(properties.defaultPlan())) {
            throw new IllegalStateException(
                    "crownest.quotas.default-plan '" + properties.defaultPlan() + "' is not a configured plan");
        }
    }

    public String plan(String tenantId) {
        return plans.computeIfAbsent(tenantId, t -> {
            List<String> stored =
                    jdbc.queryForList("SELECT plan FROM tenant_plan WHERE tenant_id = ?", String.class, t);
            return stored.isEmpty()
                    ? properties.tenantPlans().getOrDefault(t, properties.defaultPlan())
                    : stored.get(0);
        });
    }

    public boolean isPlan(String plan) {
        return properties.plans().containsKey(plan);
    }

    public QuotaLimits planLimits(String plan) {
        return properties.plans().get(plan);
    }

    /** @param bucket {@link #TENANT_BUCKET} or a project id */
    public QuotaLimits limits(String tenantId, String bucket) {
        return cache.computeIfAbsent(tenantId + '\n' + bucket, k -> {
            List<QuotaLimits> stored = jdbc.query(
                    """
                    SELECT max_concurrent_sandboxes, max_lifetime_ms, rate_compute_units_per_second,
                           hard_cap_compute_unit_seconds, hard_cap_amount_usd
                    FROM quota_bucket WHERE tenant_id = ? AND bucket = ?""",
                    (rs, i) -> new QuotaLimits(
                            (Integer) rs.getObject(1),
                            (Long) rs.getObject(2),
                            rs.getBigDecimal(3),
                            rs.getBigDecimal(4),
                            rs.getBigDecimal(5)),
                    tenantId,
                    bucket);
            if (!stored.isEmpty()) {
                return stored.get(0);
            }
            return bucket.equals(TENANT_BUCKET) ? planLimits(plan(tenantId)) : QuotaLimits.NONE;
        });
    }

    /**
     * Puts the tenant on the plan an event decided at {@code decidedAt}; the tenant bucket falls back to the
     * plan's limits. An event no newer than the last one applied changes nothing (answers false), so a
     * replay or redelivery never undoes later changes. Call in a transaction.
     */
    public boolean follow(String tenantId, String plan, Instant decidedAt) {
        int changed = jdbc.update("""
                INSERT INTO tenant_plan (tenant_id, plan, planned_at) VALUES (?, ?, ?)
                ON CONFLICT (tenant_id) DO UPDATE SET plan = EXCLUDED.plan, planned_at = EXCLUDED.planned_at, updated_at = now()
                WHERE tenant_plan.planned_at IS NULL OR tenant_plan.planned_at < EXCLUDED.planned_at""", tenantId, plan, Timestamp.from(decidedAt));
        if (changed == 0) {
            return false;
        }
        jdbc.update("DELETE FROM quota_bucket WHERE tenant_id = ? AND bucket = ?", tenantId, TENANT_BUCKET);
        plans.remove(tenantId);
        cache.remove(tenantId + '\n' + TENANT_BUCKET);
        return true;
    }

    /** Stores a bucket's limits as given. Call in a transaction. */
    public void store(String tenantId, String bucket, QuotaLimits limits, String actor) {
        jdbc.update(
                """
                INSERT INTO quota_bucket (tenant_id, bucket, max_concurrent_sandboxes, max_lifetime_ms, rate_compute_units_per_second,
                                          hard_cap_compute_unit_seconds, hard_cap_amount_usd, updated_at, updated_by)
                VALUES (?, ?, ?, ?, ?, ?, ?, now(), ?)
                ON CONFLICT (tenant_id, bucket) DO UPDATE SET
                    max_concurrent_sandboxes = EXCLUDED.max_concurrent_sandboxes, max_lifetime_ms = EXCLUDED.max_lifetime_ms,
                    rate_compute_units_per_second = EXCLUDED.rate_compute_units_per_second,
                    hard_cap_compute_unit_seconds = EXCLUDED.hard_cap_compute_unit_seconds,
                    hard_cap_amount_usd = EXCLUDED.hard_cap_amount_usd, updated_at = now(), updated_by = EXCLUDED.updated_by""",
                tenantId,
                bucket,
                limits.maxConcurrentSandboxes(),
                limits.maxLifetimeMs(),
                limits.rateComputeUnitsPerSecond(),
                limits.hardCapComputeUnitSeconds(),
                limits.hardCapAmountUsd(),
                actor);
        cache.remove(tenantId + '\n' + bucket);
    }

    /** Drops cached limits, e.g. after a rolled-back change. */
    public void forget(String tenantId) {
        plans.remove(tenantId);
        cache.keySet().removeIf(k -> k.startsWith(tenantId + '\n'));
    }
}
