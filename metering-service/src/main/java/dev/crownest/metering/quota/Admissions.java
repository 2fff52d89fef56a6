package dev.crownest.metering.quota;

import dev.crownest.contracts.api.ApiException;
import dev.crownest.metering.pricing.PricingPins;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Admission of new sandboxes against the tenant's and the project's buckets: lifetime,
 * concurrency, compute units in use, and hard caps already reached. A tenant's admissions are
 * serialized by an advisory lock, so two creates racing for the last slot cannot both win.
 */
@Component
public class Admissions {
    private final JdbcTemplate jdbc;
    private final QuotaBook quotas;
    private final BucketSpend spend;
    private final PricingPins pricing;
    private final Clock clock;

    public Admissions(JdbcTemplate jdbc, QuotaBook quotas, BucketSpend spend, PricingPins pricing, Clock clock) {
        this.jdbc = jdbc;
        this.quotas = quotas;
        this.spend = spend;
        this.pricing = pricing;
        this.clock = clock;
    }

    /** Admits the sandbox or throws the refusal (400, 402 or 429). Admitting the same sandbox again is a no-op. */
    @Transactional
    public void admit(String tenantId, AdmissionRequest request) {
        validate(request);
        jdbc.queryForObject(
                "SELECT pg_advisory_xact_lock(hashtextextended(?, 0))", Object.class, "admission:" + tenantId);
        Integer known = jdbc.queryForObject(
                "SELECT count(*) FROM sandbox_allocation WHERE sandbox_id = ?", Integer.class, request.sandboxId());
        if (known != null && known > 0) {
            return;
        }
        BigDecimal units = pricing.current(tenantId).computeUnitSeconds(request.vcpu(), request.memoryMb());
        check(tenantId, QuotaBook.TENANT_BUCKET, null, request, units);
        if (request.projectId() != null) {
            check(tenantId, request.projectId(), request.projectId(), request, units);
        }
        Instant now = clock.instant();
        jdbc.update(
                """
                INSERT INTO sandbox_allocation (sandbox_id, tenant_id, project_id, vcpu, memory_mb, compute_units, admitted_at, expires_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
                request.sandboxId(),
                tenantId,
                request.projectId(),
                request.vcpu(),
                request.memoryMb(),
                units,
                Timestamp.from(now),
                Timestamp.from(now.plusMillis(request.ttlMs())));
    }

    /** Gives back an admission whose create was then rejected; a sandbox that started is left to its events. */
    @Transactional
    public void release(String tenantId, String sandboxId) {
        jdbc.update(
                "DELETE FROM sandbox_allocation WHERE tenant_id = ? AND sandbox_id = ? AND started_at IS NULL AND ended_at IS NULL",
                tenantId,
                sandboxId);
    }

    private void check(String tenantId, String bucket, String projectId, AdmissionRequest request, BigDecimal units) {
        QuotaLimits limits = quotas.limits(tenantId, bucket);
        String scope = projectId == null ? "tenant" : "project " + projectId;
        if (limits.maxLifetimeMs() != null && request.ttlMs() > limits.maxLifetimeMs()) {
            throw new ApiException(
                    HttpStatus.TOO_MANY_REQUESTS.value(),
                    "quota",
                    "lifetime_quota_exceeded",
                    "ttlMs " + request.ttlMs() + " is above the " + scope + " maximum lifetime of "
                            + limits.maxLifetimeMs() + " ms");
        }
        String cap = spend.reachedCap(tenantId, bucket, limits);
        if (cap != null) {
            throw new ApiException(
                    HttpStatus.PAYMENT_REQUIRED.value(),
                    "quota",
                    "hard_cap_reached",
                    "the " + scope + " reached its hard cap on " + cap
                            + " for this period; raise the cap or wait for the next period");
        }
        Object[] active = jdbc.queryForObject(
                """
                SELECT count(*), coalesce(sum(compute_units) FILTER (WHERE NOT paused), 0) FROM sandbox_allocation
                WHERE tenant_id = ? AND (?::text IS NULL OR project_id = ?) AND ended_at IS NULL AND (paused OR expires_at > ?)""",
                (rs, i) -> new Object[] {rs.getLong(1), rs.getBigDecimal(2)},
                tenantId,
                projectId,
                projectId,
                Timestamp.from(clock.instant()));
        long running = (Long) active[0];
        BigDecimal inUse = (BigDecimal) active[1];
        if (limits.maxConcurrentSandboxes() != null && running >= limits.maxConcurrentSandboxes()) {
            throw new ApiException(
                    HttpStatus.TOO_MANY_REQUESTS.value(),
                    "quota",
                    "concurrency_quota_exceeded",
                    "the " + scope + " already runs " + running + " of at most " + limits.maxConcurrentSandboxes()
                            + " sandboxes");
        }
        if (limits.rateComputeUnitsPerSecond() != null
                && inUse.add(units).compareTo(limits.rateComputeUnitsPerSecond()) > 0) {
            throw new ApiException(
                    HttpStatus.TOO_MANY_REQUESTS.value(),
                    "quota",
                    "rate_quota_exceeded",
                    "the " + scope + " uses " + inUse.stripTrailingZeros().toPlainString()
                            + " compute units; this sandbox needs "
                            + units.stripTrailingZeros().toPlainString() + " more, above the rate quota of "
                            + limits.rateComputeUnitsPerSecond()
                                    .stripTrailingZeros()
                                    .toPlainString() + " per second");
        }
    }

    private static void validate(AdmissionRequest request) {
        if (request == null
                || request.sandboxId() == null
                || request.sandboxId().isBlank()
                || request.vcpu() == null
                || request.vcpu() < 1
                || request.memoryMb() == null
                || request.memoryMb() < 1
                || request.ttlMs() == null
                || request.ttlMs() < 1) {
            throw ApiException.badRequest(
                    "invalid_admission", "sandboxId, vcpu >= 1, memoryMb >= 1 and ttlMs >= 1 are required");
        }
    }
}
