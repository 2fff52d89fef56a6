package dev.crownest.metering.quota;

import dev.crownest.contracts.event.PlatformEvent;
import dev.crownest.contracts.event.SandboxEvent;
import dev.crownest.contracts.event.Topics;
import dev.crownest.metering.pricing.PricingPins;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Follows sandbox lifecycles into {@code sandbox_allocation}: when each sandbox started and ended.
 * An ended sandbox frees its admission, and seconds sampled after its end are not metered.
 * Every update is idempotent, so redelivery is harmless.
 */
@Component
class SandboxAllocations {
    private final JdbcTemplate jdbc;
    private final PricingPins pricing;

    SandboxAllocations(JdbcTemplate jdbc, PricingPins pricing) {
        this.jdbc = jdbc;
        this.pricing = pricing;
    }

    @KafkaListener(topics = Topics.SANDBOX_EVENTS, groupId = "${spring.kafka.consumer.group-id}-lifecycle")
    @Transactional
    public void on(List<PlatformEvent> batch) {
        for (PlatformEvent event : batch) {
            switch (event) {
                case SandboxEvent.SandboxCreated created ->
                    jdbc.update(
                            """
                                INSERT INTO sandbox_allocation (sandbox_id, tenant_id, project_id, vcpu, memory_mb, compute_units, admitted_at, expires_at)
                                VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (sandbox_id) DO NOTHING""",
                            created.sandboxId(),
                            created.tenantId(),
                            created.projectId(),
                            created.cpu(),
                            created.memoryMb(),
                            pricing.current(created.tenantId()).computeUnitSeconds(created.cpu(), created.memoryMb()),
                            at(created.occurredAt()),
                            at(created.expiresAt()));
                case SandboxEvent.SandboxStarted started ->
                    jdbc.update(
                            "UPDATE sandbox_allocation SET started_at = coalesce(started_at, ?) WHERE sandbox_id = ?",
                            at(started.occurredAt()),
                            started.sandboxId());
                // A paused sandbox still holds its admission (it can resume) but uses no compute units.
                case SandboxEvent.SandboxPaused paused -> paused(paused.sandboxId(), true);
                case SandboxEvent.SandboxResumed resumed -> {
                    paused(resumed.sandboxId(), false);
                    // a paused sandbox's TTL stands still: its deadline moved by the time it was paused
                    if (resumed.expiresAt() != null) {
                        jdbc.update(
                                "UPDATE sandbox_allocation SET expires_at = ? WHERE sandbox_id = ?",
                                at(resumed.expiresAt()),
                                resumed.sandboxId());
                    }
                }
                // The node could not pause it (it runs on), or could not resume it (it stays paused).
                case SandboxEvent.SandboxPauseFailed failed -> paused(failed.sandboxId(), false);
                case SandboxEvent.SandboxResumeFailed failed -> paused(failed.sandboxId(), true);
                case SandboxEvent.SandboxTtlExtended extended ->
                    jdbc.update(
                            "UPDATE sandbox_allocation SET expires_at = ? WHERE sandbox_id = ?",
                            at(extended.expiresAt()),
                            extended.sandboxId());
                case SandboxEvent.SandboxKilled killed -> end(killed.sandboxId(), killed.occurredAt());
                case SandboxEvent.SandboxExpired expired -> end(expired.sandboxId(), expired.occurredAt());
                case SandboxEvent.SandboxFailed failed -> end(failed.sandboxId(), failed.stoppedRunningAt());
                case null, default -> {}
            }
        }
    }

    private void paused(String sandboxId, boolean paused) {
        jdbc.update("UPDATE sandbox_allocation SET paused = ? WHERE sandbox_id = ?", paused, sandboxId);
    }

    private void end(String sandboxId, Instant at) {
        jdbc.update(
                "UPDATE sandbox_allocation SET ended_at = coalesce(ended_at, ?) WHERE sandbox_id = ?",
                at(at),
                sandboxId);
    }

    private static Timestamp at(Instant instant) {
        return Timestamp.from(instant);
    }
}
