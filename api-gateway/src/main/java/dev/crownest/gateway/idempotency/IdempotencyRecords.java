package dev.crownest.gateway.idempotency;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/**
 * The {@code idempotency_record} table in PostgreSQL, shared by every gateway, so a retry that lands on
 * another gateway (or after a restart) still finds the first answer. A claim is one INSERT: the
 * primary key decides which of two simultaneous requests does the work.
 */
@Repository
class IdempotencyRecords {

    private final DatabaseClient db;

    IdempotencyRecords(DatabaseClient db) {
        this.db = db;
    }

    /**
     * Claims the key for one request: true when this request must do the work. An expired record, or a
     * running claim whose lease ran out with the same fingerprint (its gateway died), is taken over.
     */
    Mono<Boolean> claim(IdempotentRequest request, Instant now, Instant expiredBefore, Instant leaseUntil) {
        return db.sql("""
                        INSERT INTO idempotency_record (caller_hash, idem_key, fingerprint, state, created_at, lease_until)
                        VALUES (:caller, :key, :fingerprint, 'running', :now, :lease)
                        ON CONFLICT (caller_hash, idem_key) DO UPDATE
                           SET fingerprint = EXCLUDED.fingerprint, state = 'running', status = NULL, content_type = NULL,
                               location = NULL, body = NULL, withheld = NULL, created_at = EXCLUDED.created_at,
                               lease_until = EXCLUDED.lease_until
                         WHERE idempotency_record.created_at < :expiredBefore
                            OR (idempotency_record.state = 'running' AND idempotency_record.lease_until < :now
                                AND idempotency_record.fingerprint = EXCLUDED.fingerprint)
                        RETURNING state""")
                .bind("caller", request.callerHash())
                .bind("key", request.key())
                .bind("fingerprint", request.fingerprint())
                .bind("now", utc(now))
                .bind("lease", utc(leaseUntil))
                .bind("expiredBefore", utc(expiredBefore))
                .fetch()
                .first()
                .map(row -> true)
                .defaultIfEmpty(false);
    }

    /** The record of this caller and key, if one exists and has not expired. */
    Mono<IdempotencyRecord> find(IdempotentRequest request, Instant expiredBefore) {
        return db.sql("""
                        SELECT fingerprint, state, status, content_type, location, body, withheld
                        FROM idempotency_record
                        WHERE caller_hash = :caller AND idem_key = :key AND created_at >= :expiredBefore""")
                .bind("caller", request.callerHash())
                .bind("key", request.key())
                .bind("expiredBefore", utc(expiredBefore))
                .map(row -> new IdempotencyRecord(
                        row.get("fingerprint", String.class),
                        "done".equals(row.get("state", String.class)),
                        row.get("status", Integer.class),
                        row.get("content_type", String.class),
                        row.get("location", String.class),
                        bytes(row.get("body", ByteBuffer.class)),
                        withheld(row.get("withheld", String.class))))
                .first();
    }

    /** Keeps the answer of the request that held the claim. */
    Mono<Void> complete(IdempotentRequest request, CapturedResponse answer) {
        var spec = db.sql("""
                        UPDATE idempotency_record
                           SET state = 'done', status = :status, content_type = :contentType, location = :location,
                               body = :body, withheld = :withheld
                         WHERE caller_hash = :caller AND idem_key = :key AND state = 'running'""")
                .bind("caller", request.callerHash())
                .bind("key", request.key())
                .bind("status", answer.status())
                .bind("body", ByteBuffer.wrap(answer.body()));
        spec = answer.contentType() == null
                ? spec.bindNull("contentType", String.class)
                : spec.bind("contentType", answer.contentType());
        spec = answer.location() == null
                ? spec.bindNull("location", String.class)
                : spec.bind("location", answer.location());
        spec = answer.withheld() == null
                ? spec.bindNull("withheld", String.class)
                : spec.bind("withheld", answer.withheld().name());
        return spec.then();
    }

    /** Gives the key back: the request failed before anything was done (refused, unreachable service). */
    Mono<Void> release(IdempotentRequest request) {
        return db.sql(
                        "DELETE FROM idempotency_record WHERE caller_hash = :caller AND idem_key = :key AND state = 'running'")
                .bind("caller", request.callerHash())
                .bind("key", request.key())
                .then();
    }

    /** Removes records older than their retention; answers how many went. */
    Mono<Long> purge(Instant expiredBefore) {
        return db.sql("DELETE FROM idempotency_record WHERE created_at < :expiredBefore")
                .bind("expiredBefore", utc(expiredBefore))
                .fetch()
                .rowsUpdated();
    }

    private static CapturedResponse.Withheld withheld(String value) {
        return value == null ? null : CapturedResponse.Withheld.valueOf(value);
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static byte[] bytes(ByteBuffer buffer) {
        if (buffer == null) {
            return new byte[0];
        }
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }
}
