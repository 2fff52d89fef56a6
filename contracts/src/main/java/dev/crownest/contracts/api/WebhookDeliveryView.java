package dev.crownest.contracts.api;

import java.time.Instant;

/**
 * One event's delivery to one webhook endpoint: every attempt carries the same {@code eventId}.
 *
 * @param status         {@code pending} (not yet answered 2xx; retried), {@code delivered}, {@code failed}
 *                       (no 2xx within the retry window) or {@code cancelled} (the endpoint was deleted)
 * @param lastStatusCode the HTTP status of the last attempt, null when it got no answer
 * @param lastError      why the last attempt failed, when it did
 * @param nextAttemptAt  when a pending delivery is tried again
 */
public record WebhookDeliveryView(
        String eventId,
        String eventType,
        String status,
        int attempts,
        Integer lastStatusCode,
        String lastError,
        Instant createdAt,
        Instant lastAttemptAt,
        Instant nextAttemptAt,
        Instant deliveredAt) {}
