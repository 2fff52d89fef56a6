package dev.crownest.contracts.event;

import java.time.Instant;
import java.util.UUID;

/**
 * Connections a restricted sandbox tried and its node's egress proxy refused, to one host and port for
 * one reason, counted over a short window: a loop that retries a thousand times a second is one event
 * per window, not a thousand. Names the destination only, never a request's path, headers or body.
 * Published by the node agent on {@link Topics#EGRESS_EVENTS}, keyed by sandbox id; recorded by the
 * audit log as {@code egress.denied}.
 *
 * @param host    the host the sandbox asked for, as it named it; {@code *} for the denials past the
 *                window's limit of distinct destinations, whose count this event then carries
 * @param port    the port asked for; 0 with host {@code *}
 * @param reason  why, e.g. {@code not_allowlisted}, {@code denied_address}, {@code host_mismatch}
 * @param count   denials in the window
 * @param firstAt the first of them
 * @param lastAt  the last of them
 */
public record EgressDenied(
        UUID eventId,
        String tenantId,
        Instant occurredAt,
        int schemaVersion,
        String sandboxId,
        String projectId,
        String nodeId,
        String host,
        int port,
        String reason,
        long count,
        Instant firstAt,
        Instant lastAt)
        implements PlatformEvent {
    @Override
    public String resourceId() {
        return sandboxId;
    }

    @Override
    public String actor() {
        return nodeId;
    }
}
