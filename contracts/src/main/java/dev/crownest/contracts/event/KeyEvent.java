package dev.crownest.contracts.event;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** API key lifecycle on {@link Topics#KEY_EVENTS}. Carries the key's SHA-256 hash, never the secret. */
public sealed interface KeyEvent extends PlatformEvent {

    String keyId();

    @Override
    default String resourceId() {
        return keyId();
    }

    record ApiKeyCreated(
            UUID eventId,
            String tenantId,
            Instant occurredAt,
            int schemaVersion,
            String keyId,
            String name,
            List<String> scopes,
            String projectId,
            String secretHash,
            String actor)
            implements KeyEvent {}

    /** Revocation: a tombstone; the gateway drops the key from its cache on receipt. */
    record ApiKeyRevoked(
            UUID eventId, String tenantId, Instant occurredAt, int schemaVersion, String keyId, String actor)
            implements KeyEvent {}
}
