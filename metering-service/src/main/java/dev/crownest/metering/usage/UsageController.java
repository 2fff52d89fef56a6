package dev.crownest.metering.usage;

import dev.crownest.contracts.security.InternalHeaders;
import dev.crownest.kit.ApiException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
    Map<String, Object> usage(@RequestHeader(InternalHeaders.TENANT_ID) String tenant,
                              @RequestHeader(value = InternalHeaders.PROJECT_ID, required = false) String restrictedProject,
                              @RequestParam(required = false) String sandboxId,
                              @RequestParam(required = false) String projectId,
                              @RequestParam(required = false) String from,
                              @RequestParam(required = false) String to,
                              @RequestParam(defaultValue = "day") String granularity) {
        if (!granularity.equals("hour") && !granularity.equals("day")) {
            throw ApiException.badRequest("invalid_granularity", "granularity must be hour or day");
        }
        Instant end = instant("to", to, clock.instant());
        Instant start = instant("from", from, end.minus(Duration.ofDays(30)));
        if (!start.isBefore(end)) {
            throw ApiException.badRequest("invalid_time_range", "from must be before to");
        }
        if (restrictedProject != null) {
            if (projectId != null && !projectId.equals(restrictedProject)) {
                return Map.of("rows", List.of(), "totals", totals(BigDecimal.ZERO, BigDecimal.ZERO, null));
            }
            projectId = restrictedProject;
        }
        StringBuilder where = new StringBuilder(" WHERE tenant_id = ? AND second >= ? AND second < ?");
        List<Object> args = new ArrayList<>(List.of(tenant, start.getEpochSecond(), end.getEpochSecond()));
        if (sandboxId != null) {
            where.append(" AND sandbox_id = ?");
            args.add(sandboxId);
        }
        if (projectId != null) {
            where.append(" AND project_id = ?");
            args.add(projectId);
        }
        long bucket = granularity.equals("hour") ? 3600 : 86400;
        List<Map<String, Object>> rows = jdbc.query("""
                SELECT (second / %d) * %d AS period, pricing_version, sum(compute_unit_seconds) AS cus, sum(amount_usd) AS amount
                FROM usage_second %s GROUP BY 1, 2 ORDER BY 1, 2""".formatted(bucket, bucket, where), (rs, i) -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("period", Instant.ofEpochSecond(rs.getLong("period")));
            if (sandboxId != null) {
                row.put("sandboxId", sandboxId);
            }
            row.put("computeUnitSeconds", rs.getBigDecimal("cus"));
            row.put("pricingVersion", rs.getString("pricing_version"));
            row.put("amount", rs.getBigDecimal("amount"));
            return row;
        }, args.toArray());
        BigDecimal cus = BigDecimal.ZERO;
        BigDecimal amount = BigDecimal.ZERO;
        String version = null;
        for (Map<String, Object> row : rows) {
            cus = cus.add((BigDecimal) row.get("computeUnitSeconds"));
            amount = amount.add((BigDecimal) row.get("amount"));
            version = version == null || version.equals(row.get("pricingVersion")) ? (String) row.get("pricingVersion") : "mixed";
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

    private static Instant instant(String name, String value, Instant fallback) {
        if (value == null) {
            return fallback;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("invalid_time_range", name + " must be an ISO-8601 instant");
        }
    }
}
