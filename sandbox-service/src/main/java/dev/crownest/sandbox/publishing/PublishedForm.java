package dev.crownest.sandbox.publishing;

import dev.crownest.contracts.event.KeyEvent;
import dev.crownest.contracts.event.PlatformEvent;
import dev.crownest.contracts.event.TenantEvent;

/**
 * What of a stored event leaves sandbox-service: everything but credential hashes. The event store
 * keeps a key's {@code secretHash} and a session's {@code tokenHash} (its read models find credentials
 * by them); Kafka, and so the audit log and every consumer, never sees them. Gateways look a presented
 * credential up at {@code /internal/credentials} instead (issue 15, F4).
 */
final class PublishedForm {
    private PublishedForm() {}

    static PlatformEvent of(PlatformEvent event) {
        return switch (event) {
            case KeyEvent.ApiKeyCreated k ->
                new KeyEvent.ApiKeyCreated(
                        k.eventId(),
                        k.tenantId(),
                        k.occurredAt(),
                        k.schemaVersion(),
                        k.keyId(),
                        k.name(),
                        k.scopes(),
                        k.projectId(),
                        null,
                        k.actor());
            case TenantEvent.TenantAdminSessionOpened s ->
                new TenantEvent.TenantAdminSessionOpened(
                        s.eventId(), s.tenantId(), s.occurredAt(), s.schemaVersion(), s.sessionId(), null, s.actor());
            default -> event;
        };
    }
}
