package dev.crownest.contracts.event;

import java.time.Instant;
import java.util.UUID;

/**
 * A tenant and its administrators' sessions, published on {@link Topics#KEY_EVENTS} next to the API
 * keys: the gateway learns every credential from that one stream, in order. Sessions carry the
 * token's SHA-256 hash, never the token.
 */
public sealed interface TenantEvent extends PlatformEvent {

    /**
     * A tenant exists on {@code plan}: the operator created it, or someone signed up ({@code email} set,
     * actor {@code system:signup}). Metering takes the plan from here, billing grants the free plan's
     * credit from here; {@code resourceId} is the tenant id.
     */
    record TenantCreated(
            UUID eventId,
            String tenantId,
            Instant occurredAt,
            int schemaVersion,
            String name,
            String plan,
            String actor,
            String email)
            implements TenantEvent {
        @Override
        public String resourceId() {
            return tenantId;
        }
    }

    /** The operator moved the tenant to another plan; metering follows it. */
    record TenantPlanChanged(
            UUID eventId,
            String tenantId,
            Instant occurredAt,
            int schemaVersion,
            String plan,
            String previousPlan,
            String actor)
            implements TenantEvent {
        @Override
        public String resourceId() {
            return tenantId;
        }
    }

    /**
     * The operator pinned the tenant to another pricing version (published in metering). Usage of the seconds
     * after the pin is rated at {@code pricingVersion}; what was rated before keeps its version. Every metering
     * instance follows it; {@code resourceId} is the tenant id.
     */
    record TenantPricingPinned(
            UUID eventId,
            String tenantId,
            Instant occurredAt,
            int schemaVersion,
            String pricingVersion,
            String previousVersion,
            String actor)
            implements TenantEvent {
        @Override
        public String resourceId() {
            return tenantId;
        }
    }

    /**
     * The operator suspended the tenant: its keys and admin sessions are refused ({@code tenant_suspended})
     * and its running sandboxes are paused.
     */
    record TenantSuspended(
            UUID eventId, String tenantId, Instant occurredAt, int schemaVersion, String reason, String actor)
            implements TenantEvent {
        @Override
        public String resourceId() {
            return tenantId;
        }
    }

    /** The suspension ended: keys and sessions work again; paused sandboxes wait for the tenant to resume them. */
    record TenantUnsuspended(UUID eventId, String tenantId, Instant occurredAt, int schemaVersion, String actor)
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
