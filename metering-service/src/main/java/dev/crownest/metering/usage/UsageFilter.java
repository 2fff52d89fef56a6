package dev.crownest.metering.usage;

import dev.crownest.contracts.api.ApiException;
import dev.crownest.kit.caller.Caller;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The rows of {@code usage_hour} a usage query or export covers: one tenant, an optional project
 * and sandbox, a time range (whole hours: {@code from} counts from the start of its hour), and the
 * width of the answer's rows (second, hour or day).
 */
record UsageFilter(
        String tenantId, String projectId, String sandboxId, Instant from, Instant to, long granularitySeconds) {
    private static final Map<String, Long> GRANULARITIES = Map.of("second", 1L, "hour", 3600L, "day", 86400L);

    /**
     * @param caller  its tenant is the one queried; a project-restricted key's project hides its others
     * @param allowed the granularities this endpoint offers
     */
    static UsageFilter parse(
            Caller caller,
            String projectId,
            String sandboxId,
            String from,
            String to,
            String granularity,
            List<String> allowed,
            Clock clock) {
        if (!allowed.contains(granularity)) {
            throw ApiException.badRequest(
                    "invalid_granularity", "granularity must be one of " + String.join(", ", allowed));
        }
        Instant end = instant("to", to, clock.instant());
        Instant start = instant("from", from, end.minus(Duration.ofDays(30)));
        if (!start.isBefore(end)) {
            throw ApiException.badRequest("invalid_time_range", "from must be before to");
        }
        // a restricted key's own project; another one is 404 project_not_found
        return new UsageFilter(
                caller.tenant(), caller.projectOr(projectId), sandboxId, start, end, GRANULARITIES.get(granularity));
    }

    /** The WHERE clause over {@code usage_hour}; its parameters are {@link #args()}. */
    String where() {
        StringBuilder where = new StringBuilder(" WHERE tenant_id = ? AND hour >= ? AND hour < ?");
        if (sandboxId != null) {
            where.append(" AND sandbox_id = ?");
        }
        if (projectId != null) {
            where.append(" AND project_id = ?");
        }
        return where.toString();
    }

    Object[] args() {
        List<Object> args = new ArrayList<>(
                List.of(tenantId, Math.floorDiv(from.getEpochSecond(), 3600) * 3600, to.getEpochSecond()));
        if (sandboxId != null) {
            args.add(sandboxId);
        }
        if (projectId != null) {
            args.add(projectId);
        }
        return args.toArray();
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
