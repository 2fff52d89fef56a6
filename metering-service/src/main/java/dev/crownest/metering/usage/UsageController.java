package dev.crownest.metering.usage;

import dev.crownest.kit.caller.Caller;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /internal/usage}: a tenant's metered seconds, bucketed by hour or day. */
@RestController
class UsageController {
    private final JdbcTemplate jdbc;
    private final Clock clock;

    UsageController(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @GetMapping("/internal/usage")
    Map<String, Object> usage(
            Caller caller,
            @RequestParam(required = false) String sandboxId,
            @RequestParam(required = false) String projectId,
            @RequestParam(required = false) String from,
            @RequestParam(required = false) String to,
            @RequestParam(defaultValue = "day") String granularity) {
        UsageFilter filter =
                UsageFilter.parse(caller, projectId, sandboxId, from, to, granularity, List.of("hour", "day"), clock);
        long bucket = filter.granularitySeconds();
        List<Map<String, Object>> rows = jdbc.query(
                """
                SELECT (hour / %d) * %d AS period, pricing_version, sum(compute_unit_seconds) AS cus, sum(amount_usd) AS amount
                FROM usage_hour %s GROUP BY 1, 2 ORDER BY 1, 2""".formatted(bucket, bucket, filter.where()),
                (rs, i) -> {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("period", Instant.ofEpochSecond(rs.getLong("period")));
                    if (sandboxId != null) {
                        row.put("sandboxId", sandboxId);
                    }
                    row.put("computeUnitSeconds", rs.getBigDecimal("cus"));
                    row.put("pricingVersion", rs.getString("pricing_version"));
                    row.put("amount", rs.getBigDecimal("amount"));
                    return row;
                },
                filter.args());
        BigDecimal cus = BigDecimal.ZERO;
        BigDecimal amount = BigDecimal.ZERO;
        String version = null;
        for (Map<String, Object> row : rows) {
            cus = cus.add((BigDecimal) row.get("computeUnitSeconds"));
            amount = amount.add((BigDecimal) row.get("amount"));
            version = version == null || version.equals(row.get("pricingVersion"))
                    ? (String) row.get("pricingVersion")
                    : "mixed";
        }
        return Map.of("rows", rows, "totals", totals(cus, amount, version));
    }

    private static Map<String, Object> totals(BigDecimal cus, BigDecimal amount, String version) {
        Map<String, Object> totals = new LinkedHashMap<>();
        totals.put("computeUnitSeconds", cus);
        totals.put("amount", amount);
        totals.put("pricingVersion", version);
        return totals;
    }
}
