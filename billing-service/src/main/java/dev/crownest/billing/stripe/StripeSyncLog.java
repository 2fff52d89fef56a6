package dev.crownest.billing.stripe;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * What Stripe has answered for ({@code stripe_sync}) and what failed and when to try again
 * ({@code stripe_sync_failure}). A row is recorded only after Stripe answered.
 */
@Component
class StripeSyncLog {
    private final JdbcTemplate jdbc;
    private final Clock clock;

    StripeSyncLog(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Transactional
    public void synced(String kind, String reference, String stripeId) {
        jdbc.update(
                "INSERT INTO stripe_sync (kind, reference, stripe_id, synced_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                kind,
                reference,
                stripeId,
                Timestamp.from(clock.instant()));
        jdbc.update("DELETE FROM stripe_sync_failure WHERE kind = ? AND reference = ?", kind, reference);
        if ("customer".equals(kind)) {
            jdbc.update("UPDATE billing_account SET stripe_customer_id = ? WHERE tenant_id = ?", stripeId, reference);
        } else if ("invoice".equals(kind)) {
            jdbc.update("UPDATE invoice SET stripe_invoice_id = ? WHERE id = ?", stripeId, reference);
        }
    }

    /** Records a failure; the next attempt waits base × 2^(attempts−1), at most max. */
    @Transactional
    public void failed(String kind, String reference, String error, Duration base, Duration max) {
        Integer attempts = jdbc
                        .queryForList(
                                "SELECT attempts FROM stripe_sync_failure WHERE kind = ? AND reference = ?",
                                Integer.class,
                                kind,
                                reference)
                        .stream()
                        .findFirst()
                        .orElse(0)
                + 1;
        Duration wait = base.multipliedBy(1L << Math.min(attempts - 1, 20));
        if (wait.compareTo(max) > 0) {
            wait = max;
        }
        Instant next = clock.instant().plus(wait);
        jdbc.update("""
                INSERT INTO stripe_sync_failure (kind, reference, attempts, next_attempt_at, last_error) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (kind, reference) DO UPDATE SET attempts = excluded.attempts, next_attempt_at = excluded.next_attempt_at,
                    last_error = excluded.last_error""", kind, reference, attempts, Timestamp.from(next), error);
    }

    /** SQL condition: no pending backoff for (kind, reference expression) at parameter now. */
    static String due(String kind, String referenceExpression) {
        return "NOT EXISTS (SELECT 1 FROM stripe_sync_failure f WHERE f.kind = '" + kind + "' AND f.reference = "
                + referenceExpression
                + " AND f.next_attempt_at > ?)"
                + " AND NOT EXISTS (SELECT 1 FROM stripe_sync s WHERE s.kind = '" + kind + "' AND s.reference = "
                + referenceExpression + ")";
    }
}
