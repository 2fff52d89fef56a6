package dev.crownest.billing.webhook;

import java.time.Instant;
import java.util.Map;

/**
 * One event as the tenant's endpoints receive it: the delivery body is this record as JSON, the same
 * bytes on every attempt.
 *
 * @param id        {@code evt_} and the source event's id: the same event always has the same id, so
 *                  a source record read twice is one delivery per endpoint
 * @param type      {@code sandbox.started}, {@code command.finished}, ... ({@link EventTypes})
 * @param createdAt when the event happened (the source event's time)
 * @param data      the event's facts; never secrets (no env values, no output)
 */
public record WebhookEvent(String id, String type, Instant createdAt, String tenantId, Map<String, Object> data) {}
