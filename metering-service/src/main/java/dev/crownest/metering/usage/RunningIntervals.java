package dev.crownest.metering.usage;

import dev.crownest.contracts.event.PlatformEvent;
import dev.crownest.contracts.event.SandboxEvent;
import dev.crownest.contracts.event.Topics;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Every started second is billed: each running interval (started or resumed, until paused or ended)
 * of {@code d} seconds bills {@code ceil(d)} seconds, at least one, counted from the second it opened
 * in. The node's sampler counts only the whole seconds it saw, so a sandbox killed within its first
 * second was free; here, when an interval closes, the seconds of that rule the sampler missed are
 * metered ({@link SecondsMeter}). Examples: 0.4 s running, then killed: 1 s; 1.2 s, paused, resumed,
 * 0.3 s: 2 + 1 = 3 s; 59.0 s: 59 s.
 *
 * <p>Exactly once: an interval's seconds are the same whenever it is closed again (a redelivered
 * batch), and a second is one bit of its sandbox-hour, so a second metered twice counts once. A
 * pause that failed reopens the interval; the node sampled the sandbox meanwhile, as it ran on.
 */
@Component
class RunningIntervals {
    private final JdbcTemplate jdbc;
    private final SecondsMeter seconds;

    RunningIntervals(JdbcTemplate jdbc, SecondsMeter seconds) {
        this.jdbc = jdbc;
        this.seconds = seconds;
    }

    @KafkaListener(topics = Topics.SANDBOX_EVENTS, groupId = "${spring.kafka.consumer.group-id}-intervals")
    @Transactional
    public void on(List<PlatformEvent> batch) {
        for (PlatformEvent event : batch) {
            switch (event) {
                case SandboxEvent.SandboxCreated created ->
                    jdbc.update(
                            """
                            INSERT INTO sandbox_running (sandbox_id, tenant_id, project_id, vcpu, memory_mb)
                            VALUES (?, ?, ?, ?, ?) ON CONFLICT (sandbox_id) DO NOTHING""",
                            created.sandboxId(),
                            created.tenantId(),
                            created.projectId(),
                            created.cpu(),
                            created.memoryMb());
                // only its first start opens an interval: a redelivered one after a pause must not
                case SandboxEvent.SandboxStarted started ->
                    jdbc.update(
                            "UPDATE sandbox_running SET started = true, running_since = ? WHERE sandbox_id = ? AND NOT started",
                            at(started.occurredAt()),
                            started.sandboxId());
                case SandboxEvent.SandboxResumed resumed -> open(resumed.sandboxId(), resumed.occurredAt());
                case SandboxEvent.SandboxPauseFailed failed -> open(failed.sandboxId(), failed.occurredAt());
                case SandboxEvent.SandboxPaused paused -> close(paused.sandboxId(), paused.occurredAt(), false);
                case SandboxEvent.SandboxKilled killed -> close(killed.sandboxId(), killed.occurredAt(), true);
                case SandboxEvent.SandboxExpired expired -> close(expired.sandboxId(), expired.occurredAt(), true);
                // a lost node's sandbox stopped at the node's last heartbeat, not when the loss was told
                case SandboxEvent.SandboxFailed failed -> close(failed.sandboxId(), failed.stoppedRunningAt(), true);
                case null, default -> {}
            }
        }
    }

    private void open(String sandboxId, Instant at) {
        jdbc.update(
                "UPDATE sandbox_running SET running_since = ? WHERE sandbox_id = ? AND started AND running_since IS NULL",
                at(at),
                sandboxId);
    }

    /** Closes the sandbox's open interval, if it has one, and meters its seconds; an end forgets the sandbox. */
    private void close(String sandboxId, Instant at, boolean ended) {
        List<MeteredSample> interval = new ArrayList<>();
        jdbc.query(
                """
                UPDATE sandbox_running r SET running_since = NULL
                FROM (SELECT sandbox_id, running_since FROM sandbox_running
                      WHERE sandbox_id = ? AND running_since IS NOT NULL FOR UPDATE) opened
                WHERE r.sandbox_id = opened.sandbox_id
                RETURNING r.tenant_id, r.project_id, r.vcpu, r.memory_mb, opened.running_since""",
                rs -> {
                    Instant since = rs.getTimestamp("running_since").toInstant();
                    long first = since.getEpochSecond();
                    for (long i = 0, n = billedSeconds(since, at); i < n; i++) {
                        interval.add(new MeteredSample(
                                rs.getString("tenant_id"),
                                sandboxId,
                                rs.getString("project_id"),
                                first + i,
                                rs.getInt("vcpu"),
                                rs.getInt("memory_mb")));
                    }
                },
                sandboxId);
        seconds.meter(interval, Source.INTERVAL);
        if (ended) {
            jdbc.update("DELETE FROM sandbox_running WHERE sandbox_id = ?", sandboxId);
        }
    }

    /** The ceiling of the interval in seconds, at least one: every started second counts. */
    static long billedSeconds(Instant from, Instant to) {
        long nanos = Math.max(0, Duration.between(from, to).toNanos());
        return Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L);
    }

    private static Timestamp at(Instant instant) {
        return Timestamp.from(instant);
    }
}
