package dev.crownest.contracts.event;

import java.time.Instant;
import java.util.UUID;

/**
 * A record a sandbox-service instance sends to {@link Topics#NODE_HEARTBEATS} every second and reads
 * back: while its own probes arrive fresh, it hears that topic, so a node's silence then is real (a
 * Kafka outage, or the instance itself stopped, silences the probes too). Ignored by everyone else.
 */
public record HeartbeatProbe(UUID eventId, String tenantId, Instant occurredAt, int schemaVersion, String instanceId)
        implements PlatformEvent {
    @Override
    public String resourceId() {
        return instanceId;
    }

    @Override
    public String actor() {
        return instanceId;
    }
}
