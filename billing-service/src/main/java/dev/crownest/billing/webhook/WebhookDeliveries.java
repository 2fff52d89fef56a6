package dev.crownest.billing.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crownest.contracts.api.ApiException;
import dev.crownest.contracts.api.Page;
import dev.crownest.contracts.api.WebhookDeliveryView;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The durable queue of deliveries ({@code webhook_delivery}): one row per endpoint and event, written in
 * the transaction that took the event, claimed with a lease by a sender, and marked delivered, retried
 * later (exponential back-off) or failed once the retry window is over. Times are the database's, so
 * every instance of billing schedules on one clock.
 */
@Component
class WebhookDeliveries {
    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final WebhookProperties properties;

    WebhookDeliveries(JdbcTemplate jdbc, ObjectMapper json, WebhookProperties properties) {
        this.jdbc = jdbc;
        this.json = json;
        this.properties = properties;
    }

    /** A delivery a sender holds: where to, what, and the sealed secret to sign it with. */
    record Claimed(
            long id,
            String endpointId,
            String url,
            String sealedSecret,
            String eventId,
            String eventType,
            String payload) {}

    private record Endpoint(String id, String tenant, List<String> events, Instant createdAt) {}

    /**
     * Queues each event for every live endpoint of its tenant that asks for its type and existed when
     * it happened; an event already queued for an endpoint adds nothing. Needs the caller's transaction.
     *
     * @return how many deliveries were queued
     */
    int enqueue(Collection<WebhookEvent> events) {
        if (events.isEmpty()) {
            return 0;
        }
        String[] tenants =
                events.stream().map(WebhookEvent::tenantId).distinct().toArray(String[]::new);
        Map<String, List<Endpoint>> byTenant = new HashMap<>();
        jdbc.query(
                "SELECT id, tenant_id, events, created_at FROM webhook_endpoint WHERE tenant_id = ANY(?) AND deleted_at IS NULL",
                rs -> {
                    Endpoint endpoint = new Endpoint(
                            rs.getString("id"),
                            rs.getString("tenant_id"),
                            WebhookEndpoints.events(rs),
                            rs.getTimestamp("created_at").toInstant());
                    byTenant.computeIfAbsent(endpoint.tenant(), t -> new ArrayList<>())
                            .add(endpoint);
                },
                (Object) tenants);
        List<Object[]> rows = new ArrayList<>();
        for (WebhookEvent event : events) {
            for (Endpoint endpoint : byTenant.getOrDefault(event.tenantId(), List.of())) {
                if (!event.createdAt().isBefore(endpoint.createdAt())
                        && EventTypes.wanted(endpoint.events(), event.type())) {
                    rows.add(new Object[] {endpoint.id(), event.id(), event.type(), body(event)});
                }
            }
        }
        if (rows.isEmpty()) {
            return 0;
        }
        int queued = 0;
        for (int n : jdbc.batchUpdate("""
                INSERT INTO webhook_delivery (endpoint_id, event_id, event_type, payload, status, created_at, next_attempt_at)
                VALUES (?, ?, ?, ?, 'pending', now(), now()) ON CONFLICT (endpoint_id, event_id) DO NOTHING""", rows)) {
            queued += Math.max(n, 0);
        }
        return queued;
    }

    /**
     * Takes up to {@code max} due deliveries for this sender: their lease keeps other senders off them
     * until it ends (a sender that died leaves them to be taken again: at least once). Counts the attempt.
     */
    List<Claimed> claim(int max) {
        return jdbc.query(
                """
                UPDATE webhook_delivery d
                SET lease_until = now() + ?::interval, attempts = d.attempts + 1, last_attempt_at = now()
                FROM webhook_endpoint e
                WHERE e.id = d.endpoint_id AND d.id IN (
                    SELECT id FROM webhook_delivery
                    WHERE status = 'pending' AND next_attempt_at <= now() AND (lease_until IS NULL OR lease_until < now())
                    ORDER BY next_attempt_at LIMIT ? FOR UPDATE SKIP LOCKED)
                RETURNING d.id, d.endpoint_id, e.url, e.sealed_secret, d.event_id, d.event_type, d.payload""",
                (rs, i) -> new Claimed(
                        rs.getLong("id"),
                        rs.getString("endpoint_id"),
                        rs.getString("url"),
                        rs.getString("sealed_secret"),
                        rs.getString("event_id"),
                        rs.getString("event_type"),
                        rs.getString("payload")),
                properties.lease().toMillis() + " milliseconds",
                max);
    }

    /**
     * Milliseconds until the next pending delivery not under way is due (0: due now), at most
     * {@code atMost} (also when nothing is pending).
     */
    long millisUntilNextDue(long atMost) {
        Long millis = jdbc.queryForObject("""
                SELECT ceil(extract(epoch FROM min(next_attempt_at) - now()) * 1000)::bigint FROM webhook_delivery
                WHERE status = 'pending' AND (lease_until IS NULL OR lease_until < now())""", Long.class);
        return millis == null ? atMost : Math.max(0, Math.min(millis, atMost));
    }

    /** The receiver answered 2xx. */
    void delivered(long id, int status) {
        jdbc.update("""
                UPDATE webhook_delivery SET status = 'delivered', delivered_at = now(), last_status_code = ?,
                                            last_error = NULL, lease_until = NULL
                WHERE id = ? AND status = 'pending'""", status, id);
    }

    /**
     * The attempt failed ({@code status} null: no answer): tried again after the back-off of its
     * attempt count, or failed for good when that would be past the retry window.
     */
    void failed(long id, Integer status, String error) {
        jdbc.update(
                """
                UPDATE webhook_delivery
                SET last_status_code = ?, last_error = ?, lease_until = NULL,
                    next_attempt_at = now() + least(?::interval * power(2, attempts - 1), ?::interval),
                    status = CASE WHEN now() + least(?::interval * power(2, attempts - 1), ?::interval)
                                       > created_at + ?::interval THEN 'failed' ELSE 'pending' END
                WHERE id = ? AND status = 'pending'""",
                status,
                error.length() > 500 ? error.substring(0, 500) : error,
                interval(properties.backoffBase()),
                interval(properties.backoffMax()),
                interval(properties.backoffBase()),
                interval(properties.backoffMax()),
                interval(properties.retryFor()),
                id);
    }

    /** The endpoint's deliveries, newest first; {@code cursor} is the last id of the previous page. */
    Page<WebhookDeliveryView> list(String endpointId, String status, int limit, String cursor) {
        if (status != null
                && !List.of("pending", "delivered", "failed", "cancelled").contains(status)) {
            throw ApiException.badRequest("invalid_status", "status must be pending, delivered, failed or cancelled");
        }
        if (limit < 1 || limit > 200) {
            throw ApiException.badRequest("invalid_limit", "limit must be 1..200");
        }
        long before;
        try {
            before = cursor == null ? Long.MAX_VALUE : Long.parseLong(cursor);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("invalid_cursor", "cursor is not one this list gave");
        }
        List<Long> ids = new ArrayList<>();
        List<WebhookDeliveryView> page = jdbc.query(
                """
                SELECT id, event_id, event_type, status, attempts, last_status_code, last_error, created_at,
                       last_attempt_at, next_attempt_at, delivered_at
                FROM webhook_delivery WHERE endpoint_id = ? AND id < ? AND (?::text IS NULL OR status = ?)
                ORDER BY id DESC LIMIT ?""",
                (rs, i) -> {
                    ids.add(rs.getLong("id"));
                    return view(rs);
                },
                endpointId,
                before,
                status,
                status,
                limit + 1);
        if (page.size() <= limit) {
            return new Page<>(page, null);
        }
        return new Page<>(page.subList(0, limit), String.valueOf(ids.get(limit - 1)));
    }

    private static WebhookDeliveryView view(ResultSet rs) throws SQLException {
        String status = rs.getString("status");
        return new WebhookDeliveryView(
                rs.getString("event_id"),
                rs.getString("event_type"),
                status,
                rs.getInt("attempts"),
                rs.getObject("last_status_code", Integer.class),
                rs.getString("last_error"),
                instant(rs.getTimestamp("created_at")),
                instant(rs.getTimestamp("last_attempt_at")),
                "pending".equals(status) ? instant(rs.getTimestamp("next_attempt_at")) : null,
                instant(rs.getTimestamp("delivered_at")));
    }

    private String body(WebhookEvent event) {
        try {
            return json.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a webhook event does not serialize", e);
        }
    }

    private static String interval(Duration duration) {
        return duration.toMillis() + " milliseconds";
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
