package dev.crownest.contracts.event;

import java.time.Instant;
import java.util.UUID;

/**
 * A tenant and its administrators' sessions, published on {@link Topics#KEY_EVENTS} next to the API
 * keys: the gateway learns every credential from that one stream, in order. Sessions carry the
 * token's SHA-256 hash, never the token.
 */
public sealed interface TenantEvent extends PlatformEvent {

    /** The platform operator created a tenant on {@code plan}; {@code resourceId} is the tenant id. */
    record TenantCreated(
            UUID eventId,
            String tenantId,
            Instant occurredAt,
            int schemaVersion,
            String name,
            String plan,
            String actor)
            implements TenantEvent {
        @Override
        public String resourceId() {
            return tenantId;
        }
    }

    /** A tenant admin session exists: a bearer token whose hash is {@code tokenHash} administers the tenant. */
    record TenantAdminSessionOpened(
            UUID eventId,
            String tenantId,
            Instant occurredAt,
            int schemaVersion,
            String sessionId,
            String tokenHash,
            String actor)
            implements TenantEvent {
        @Override
        public String resourceId() {
            return sessionId;
        }
    }

    /** The session's token no longer administers anything; a tombstone. */
    record TenantAdminSessionRevoked(
            UUID eventId, String tenantId, Instant occurredAt, int schemaVersion, String sessionId, String actor)
            implements TenantEvent {
        @Override
        public String resourceId() {
            return sessionId;
        }
    }
}
