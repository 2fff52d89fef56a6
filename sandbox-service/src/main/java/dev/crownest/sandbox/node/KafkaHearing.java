package dev.crownest.sandbox.node;

import dev.crownest.contracts.event.HeartbeatProbe;
import dev.crownest.contracts.event.PlatformEvent;
import dev.crownest.contracts.event.Topics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Whether this instance hears the heartbeat topic now, and since when without a break: it sends itself
 * a {@link HeartbeatProbe} there every probe interval and reads it back with the heartbeats. Hearing
 * breaks when no fresh probe (one that took less than the gap to come back) arrived within the gap: a
 * Kafka outage, a consumer that stalls, or this process stopped (a paused JVM sends and reads nothing,
 * and the probes it finds when it wakes are stale). A node's silence counts only from the start of the
 * current hearing ({@link NodeLossDetector}): silence this instance could not hear is not silence.
 */
@Component
class KafkaHearing {
    static final int SCHEMA_VERSION = 1;
    static final long PROBE_INTERVAL_MS = 1000;
    /** A probe older than this when it arrives, or no fresh probe for this long (three missed), breaks the hearing. */
    static final Duration GAP = Duration.ofMillis(3 * PROBE_INTERVAL_MS);

    private final KafkaTemplate<String, PlatformEvent> kafka;
    private final Clock clock;
    private final String instanceId = "sandbox-service-" + UUID.randomUUID();
    /** A send may block while Kafka is away (metadata): never on the scheduler, never two at once. */
    private final AtomicBoolean sending = new AtomicBoolean();

    private Instant hearingSince;
    private Instant lastFreshProbe;

    KafkaHearing(KafkaTemplate<String, PlatformEvent> kafka, Clock clock) {
        this.kafka = kafka;
        this.clock = clock;
    }

    @Scheduled(fixedRate = PROBE_INTERVAL_MS)
    void probe() {
        if (!sending.compareAndSet(false, true)) {
            return;
        }
        Thread.ofVirtual().name("heartbeat-probe").start(() -> {
            try {
                kafka.send(
                        Topics.NODE_HEARTBEATS,
                        instanceId,
                        new HeartbeatProbe(UUID.randomUUID(), null, clock.instant(), SCHEMA_VERSION, instanceId));
            } catch (RuntimeException e) {
                // Kafka away: no probe, so no hearing; the next tick tries again.
            } finally {
                sending.set(false);
            }
        });
    }

    /** The id its probes carry: this instance's alone. */
    String instanceId() {
        return instanceId;
    }

    /** A probe came back (anyone's: only this instance's count). */
    synchronized void arrived(HeartbeatProbe probe) {
        if (!instanceId.equals(probe.instanceId())) {
            return;
        }
        Instant now = clock.instant();
        if (Duration.between(probe.occurredAt(), now).compareTo(GAP) > 0) {
            hearingSince = null; // held up somewhere: what was sent meanwhile may still be on its way
            return;
        }
        if (hearingSince == null
                || lastFreshProbe == null
                || Duration.between(lastFreshProbe, now).compareTo(GAP) > 0) {
            hearingSince = now;
        }
        lastFreshProbe = now;
    }

    /** Since when this instance has heard the topic without a break; empty when it does not hear it now. */
    synchronized Optional<Instant> hearingSince() {
        Instant now = clock.instant();
        if (hearingSince == null
                || lastFreshProbe == null
                || Duration.between(lastFreshProbe, now).compareTo(GAP) > 0) {
            return Optional.empty();
        }
        return Optional.of(hearingSince);
    }
}
