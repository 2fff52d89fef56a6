package dev.crownest.metering.quota;

import dev.crownest.contracts.event.QuotaEvent;
import dev.crownest.metering.span.MeteredSpan;
import java.math.BigDecimal;
import java.sql.Date;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Advances each bucket's spend for the period with a metered batch, in the batch's transaction,
 * and decides the quota events: a warning at 80 % of a hard cap, a breach at 100 %. Each is raised
 * once per cap value (a raised cap can be warned about and breached again).
 */
@Component
public class BucketSpend {
    private static final BigDecimal WARNING_SHARE = new BigDecimal("0.8");
    static final String LIMIT_CUS = "computeUnitSeconds";
    static final String LIMIT_AMOUNT = "amountUsd";

    private final JdbcTemplate jdbc;
    private final QuotaBook quotas;
    private final Clock clock;

    public BucketSpend(JdbcTemplate jdbc, QuotaBook quotas, Clock clock) {
        this.jdbc = jdbc;
        this.quotas = quotas;
        this.clock = clock;
    }

    private record Key(String tenantId, String projectId, LocalDate period) implements Comparable<Key> {
        @Override
        public int compareTo(Key other) {
            return Comparator.comparing(Key::tenantId)
                    .thenComparing(Key::bucket)
                    .thenComparing(Key::period)
                    .compare(this, other);
        }

        String bucket() {
            return projectId == null ? QuotaBook.TENANT_BUCKET : projectId;
        }
    }

    private static final class Increment {
        BigDecimal cus = BigDecimal.ZERO;
        BigDecimal amount = BigDecimal.ZERO;
        long lastSecond;
    }

    private record Spent(
            BigDecimal cus,
            BigDecimal amount,
            BigDecimal warnedCus,
            BigDecimal warnedAmount,
            BigDecimal breachedCus,
            BigDecimal breachedAmount) {}

    /**
     * Adds the spans to their tenant and project buckets; answers the quota events they cause.
     * Buckets are locked in one order (sorted keys), so concurrent batches cannot deadlock.
     */
    public List<QuotaEvent> advance(List<MeteredSpan> spans) {
        Map<Key, Increment> increments = new TreeMap<>();
        for (MeteredSpan s : spans) {
            add(increments.computeIfAbsent(new Key(s.tenantId(), null, s.period()), k -> new Increment()), s);
            if (s.projectId() != null) {
                add(
                        increments.computeIfAbsent(
                                new Key(s.tenantId(), s.projectId(), s.period()), k -> new Increment()),
                        s);
            }
        }
        List<QuotaEvent> events = new ArrayList<>();
        increments.forEach((key, inc) -> {
            Spent spent = jdbc.queryForObject(
                    """
                    INSERT INTO bucket_usage (tenant_id, bucket, period, compute_unit_seconds, amount_usd) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (tenant_id, bucket, period) DO UPDATE SET
                        compute_unit_seconds = bucket_usage.compute_unit_seconds + EXCLUDED.compute_unit_seconds,
                        amount_usd = bucket_usage.amount_usd + EXCLUDED.amount_usd
                    RETURNING compute_unit_seconds, amount_usd, warned_cus_cap, warned_amount_cap, breached_cus_cap, breached_amount_cap""",
                    (rs, i) -> new Spent(
                            rs.getBigDecimal(1),
                            rs.getBigDecimal(2),
                            rs.getBigDecimal(3),
                            rs.getBigDecimal(4),
                            rs.getBigDecimal(5),
                            rs.getBigDecimal(6)),
                    key.tenantId(),
                    key.bucket(),
                    Date.valueOf(key.period()),
                    inc.cus,
                    inc.amount);
            QuotaLimits limits = quotas.limits(key.tenantId(), key.bucket());
            check(
                    key,
                    inc,
                    LIMIT_CUS,
                    spent.cus(),
                    limits.hardCapComputeUnitSeconds(),
                    spent.warnedCus(),
                    spent.breachedCus(),
                    events);
            check(
                    key,
                    inc,
                    LIMIT_AMOUNT,
                    spent.amount(),
                    limits.hardCapAmountUsd(),
                    spent.warnedAmount(),
                    spent.breachedAmount(),
                    events);
        });
        return events;
    }

    /** Whether the bucket has reached a hard cap in the current period: creates in it are refused. */
    public String reachedCap(String tenantId, String bucket, QuotaLimits limits) {
        List<BigDecimal[]> spent = jdbc.query(
                "SELECT compute_unit_seconds, amount_usd FROM bucket_usage WHERE tenant_id = ? AND bucket = ? AND period = ?",
                (rs, i) -> new BigDecimal[] {rs.getBigDecimal(1), rs.getBigDecimal(2)},
                tenantId,
                bucket,
                Date.valueOf(QuotaPeriod.of(clock.instant())));
        if (spent.isEmpty()) {
            return null;
        }
        if (reached(spent.get(0)[0], limits.hardCapComputeUnitSeconds())) {
            return LIMIT_CUS;
        }
        return reached(spent.get(0)[1], limits.hardCapAmountUsd()) ? LIMIT_AMOUNT : null;
    }

    private void check(
            Key key,
            Increment inc,
            String limit,
            BigDecimal used,
            BigDecimal cap,
            BigDecimal warnedAt,
            BigDecimal breachedAt,
            List<QuotaEvent> events) {
        if (cap == null) {
            return;
        }
        String period = key.period().toString();
        String column = limit.equals(LIMIT_CUS) ? "cus" : "amount";
        if (used.compareTo(cap.multiply(WARNING_SHARE)) >= 0 && !sameCap(warnedAt, cap)) {
            mark("warned_" + column + "_cap", key, cap);
            events.add(new QuotaEvent.QuotaWarningReached(
                    UUID.randomUUID(), key.tenantId(), clock.instant(), 1, key.projectId(), limit, used, cap, period));
        }
        if (reached(used, cap) && !sameCap(breachedAt, cap)) {
            mark("breached_" + column + "_cap", key, cap);
            events.add(new QuotaEvent.HardCapBreached(
                    UUID.randomUUID(),
                    key.tenantId(),
                    clock.instant(),
                    1,
                    key.projectId(),
                    limit,
                    used,
                    cap,
                    period,
                    inc.lastSecond));
        }
    }

    private void mark(String column, Key key, BigDecimal cap) {
        jdbc.update(
                "UPDATE bucket_usage SET " + column + " = ? WHERE tenant_id = ? AND bucket = ? AND period = ?",
                cap,
                key.tenantId(),
                key.bucket(),
                Date.valueOf(key.period()));
    }

    private static boolean reached(BigDecimal used, BigDecimal cap) {
        return cap != null && used.compareTo(cap) >= 0;
    }

    private static boolean sameCap(BigDecimal markedAt, BigDecimal cap) {
        return markedAt != null && markedAt.compareTo(cap) == 0;
    }

    private static void add(Increment inc, MeteredSpan s) {
        inc.cus = inc.cus.add(s.computeUnitSeconds());
        inc.amount = inc.amount.add(s.amountUsd());
        inc.lastSecond = Math.max(inc.lastSecond, s.toSecond());
    }
}
