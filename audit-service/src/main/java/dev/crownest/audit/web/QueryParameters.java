package dev.crownest.audit.web;

import dev.crownest.contracts.api.ApiException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Parsing of the query parameters the audit endpoints share; bad input is a 400 in the one error shape. */
public final class QueryParameters {
    private QueryParameters() {}

    /** An ISO-8601 instant, or {@code null} when absent. */
    public static Timestamp time(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Timestamp.from(Instant.parse(value));
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest(
                    "invalid_time_range", name + " must be an ISO-8601 instant, e.g. 2026-11-25T08:00:00Z");
        }
    }

    /** {@code from} must come before {@code to} when both are given. */
    public static void range(Timestamp from, Timestamp to) {
        if (from != null && to != null && !from.before(to)) {
            throw ApiException.badRequest("invalid_time_range", "from must be before to");
        }
    }

    /** A whole number in {@code min..max}, or {@code fallback} when absent. */
    public static long number(String name, String value, long min, long max, long fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            long n = Long.parseLong(value.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below, same as out of range
        }
        throw ApiException.badRequest("invalid_" + name, name + " must be a whole number in " + min + ".." + max);
    }
}
