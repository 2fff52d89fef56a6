package dev.crownest.billing.webhook;

import dev.crownest.contracts.api.ApiException;
import dev.crownest.contracts.api.CreateWebhookRequest;
import dev.crownest.contracts.api.WebhookView;
import java.security.SecureRandom;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** The tenants' webhook endpoints: registered, listed, rotated and deleted; another tenant's is not found. */
@Component
class WebhookEndpoints {
    private static final String COLUMNS = "id, url, events, created_at, created_by, secret_rotated_at";

    private final JdbcTemplate jdbc;
    private final WebhookTargets targets;
    private final WebhookSecrets secrets;
    private final WebhookProperties properties;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    WebhookEndpoints(
            JdbcTemplate jdbc,
            WebhookTargets targets,
            WebhookSecrets secrets,
            WebhookProperties properties,
            Clock clock) {
        this.jdbc = jdbc;
        this.targets = targets;
        this.secrets = secrets;
        this.properties = properties;
        this.clock = clock;
    }

    /** A new endpoint with its secret, shown in this answer only. */
    @Transactional
    WebhookView register(String tenant, String actor, CreateWebhookRequest request) {
        if (request == null) {
            throw ApiException.badRequest("invalid_webhook_url", "a body {url, events} is required");
        }
        List<String> events = EventTypes.validFilters(request.events());
        String url = targets.registrable(request.url()).toString();
        // one tenant at a time, so the limit holds under concurrent registrations
        jdbc.query("SELECT pg_advisory_xact_lock(hashtext('webhooks:' || ?))", rs -> {}, tenant);
        Integer count = jdbc.queryForObject(
                "SELECT count(*) FROM webhook_endpoint WHERE tenant_id = ? AND deleted_at IS NULL",
                Integer.class,
                tenant);
        if (count != null && count >= properties.maxEndpoints()) {
            throw ApiException.conflict(
                    "webhook_limit_reached",
                    "a tenant has at most " + properties.maxEndpoints() + " webhook endpoints; delete one first");
        }
        String id = "whk_" + HexFormat.of().formatHex(randomBytes());
        String secret = secrets.generate();
        Instant now = clock.instant();
        jdbc.update(
                """
                INSERT INTO webhook_endpoint (id, tenant_id, url, events, sealed_secret, created_at, created_by)
                VALUES (?, ?, ?, ?, ?, ?, ?)""",
                id,
                tenant,
                url,
                events.toArray(String[]::new),
                secrets.seal(id, secret),
                Timestamp.from(now),
                actor);
        return new WebhookView(id, url, events, now, actor, null, secret);
    }

    @Transactional(readOnly = true)
    List<WebhookView> list(String tenant) {
        return jdbc.query(
                "SELECT " + COLUMNS + " FROM webhook_endpoint WHERE tenant_id = ? AND deleted_at IS NULL"
                        + " ORDER BY created_at DESC, id DESC",
                WebhookEndpoints::view,
                tenant);
    }

    /** Deletes the endpoint: nothing more is sent to it, and its pending deliveries are cancelled. */
    @Transactional
    void delete(String tenant, String id) {
        if (jdbc.update(
                        "UPDATE webhook_endpoint SET deleted_at = ? WHERE id = ? AND tenant_id = ? AND deleted_at IS NULL",
                        Timestamp.from(clock.instant()),
                        id,
                        tenant)
                == 0) {
            throw notFound(id);
        }
        jdbc.update(
                "UPDATE webhook_delivery SET status = 'cancelled', lease_until = NULL WHERE endpoint_id = ? AND status = 'pending'",
                id);
    }

    /**
     * A new secret, shown in this answer only; every attempt from now on, retries of earlier events
     * included, is signed with it.
     */
    @Transactional
    WebhookView rotateSecret(String tenant, String id) {
        String secret = secrets.generate();
        if (jdbc.update(
                        "UPDATE webhook_endpoint SET sealed_secret = ?, secret_rotated_at = ? WHERE id = ? AND tenant_id = ? AND deleted_at IS NULL",
                        secrets.seal(id, secret),
                        Timestamp.from(clock.instant()),
                        id,
                        tenant)
                == 0) {
            throw notFound(id);
        }
        WebhookView view = get(tenant, id);
        return new WebhookView(
                view.id(),
                view.url(),
                view.events(),
                view.createdAt(),
                view.createdBy(),
                view.secretRotatedAt(),
                secret);
    }

    /** The endpoint, or 404 {@code webhook_not_found} (also another tenant's, and a deleted one). */
    @Transactional(readOnly = true)
    WebhookView get(String tenant, String id) {
        return jdbc
                .query(
                        "SELECT " + COLUMNS
                                + " FROM webhook_endpoint WHERE id = ? AND tenant_id = ? AND deleted_at IS NULL",
                        WebhookEndpoints::view,
                        id,
                        tenant)
                .stream()
                .findFirst()
                .orElseThrow(() -> notFound(id));
    }

    private byte[] randomBytes() {
        byte[] bytes = new byte[10];
        random.nextBytes(bytes);
        return bytes;
    }

    static List<String> events(ResultSet rs) throws SQLException {
        Array array = rs.getArray("events");
        return Arrays.asList((String[]) array.getArray());
    }

    private static WebhookView view(ResultSet rs, int row) throws SQLException {
        Timestamp rotated = rs.getTimestamp("secret_rotated_at");
        return new WebhookView(
                rs.getString("id"),
                rs.getString("url"),
                events(rs),
                rs.getTimestamp("created_at").toInstant(),
                rs.getString("created_by"),
                rotated == null ? null : rotated.toInstant(),
                null);
    }

    static ApiException notFound(String id) {
        return ApiException.notFound("webhook_not_found", "no webhook " + id);
    }
}
