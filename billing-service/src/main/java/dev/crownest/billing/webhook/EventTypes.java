package dev.crownest.billing.webhook;

import dev.crownest.contracts.api.ApiException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The event types an endpoint may ask for, and its filters: a type, a family ({@code sandbox.*}) or
 * {@code *}. Filters are checked against this list at registration, so a typo is a 400, not an
 * endpoint that silently never hears anything.
 */
final class EventTypes {
    static final List<String> ALL = List.of(
            "sandbox.created",
            "sandbox.started",
            "sandbox.paused",
            "sandbox.resumed",
            "sandbox.pause_failed",
            "sandbox.resume_failed",
            "sandbox.failed",
            "sandbox.ended",
            "command.finished",
            "usage.threshold",
            "credits.low",
            "credits.restored",
            "invoice.finalized");

    static final int MAX_FILTERS = 20;

    private EventTypes() {}

    /** The filters, deduplicated in their order; 400 {@code invalid_webhook_events} when one matches no type. */
    static List<String> validFilters(List<String> filters) {
        if (filters == null || filters.isEmpty()) {
            throw invalid("events must name at least one event type, e.g. [\"sandbox.*\"]");
        }
        if (filters.size() > MAX_FILTERS) {
            throw invalid("at most " + MAX_FILTERS + " event filters");
        }
        LinkedHashSet<String> valid = new LinkedHashSet<>();
        for (String filter : filters) {
            if (filter == null || ALL.stream().noneMatch(type -> matches(filter, type))) {
                throw invalid("unknown event type " + (filter == null ? "null" : "'" + cut(filter) + "'") + "; known: "
                        + String.join(", ", ALL) + " (or a family such as sandbox.*, or *)");
            }
            valid.add(filter);
        }
        return new ArrayList<>(valid);
    }

    /** Whether any of {@code filters} takes {@code type}. */
    static boolean wanted(List<String> filters, String type) {
        return filters.stream().anyMatch(filter -> matches(filter, type));
    }

    private static boolean matches(String filter, String type) {
        if (filter.equals("*") || filter.equals(type)) {
            return true;
        }
        return filter.endsWith(".*") && type.startsWith(filter.substring(0, filter.length() - 1));
    }

    private static String cut(String text) {
        return text.length() > 64 ? text.substring(0, 64) + "..." : text;
    }

    private static ApiException invalid(String message) {
        return ApiException.badRequest("invalid_webhook_events", message);
    }
}
