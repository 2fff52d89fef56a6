package dev.crownest.metering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.crownest.contracts.event.NetworkMode;
import dev.crownest.contracts.event.PlatformEvent;
import dev.crownest.contracts.event.SandboxEvent;
import dev.crownest.contracts.event.Topics;
import dev.crownest.contracts.event.UsageSampled;
import dev.crownest.testing.IntegrationTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Every started second is billed (issue 14's rule, the ceiling of each running interval), from the
 * lifecycle's events on real Kafka into real PostgreSQL, beside the node's samples and their
 * redelivery: nothing is lost and nothing counts twice.
 */
@IntegrationTest(database = "metering_intervals_test_")
class RunningIntervalsIntegrationTest {
    @Autowired
    KafkaTemplate<String, PlatformEvent> kafka;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aSandboxKilledWithinItsFirstSecondIsBilledOneSecond() {
        String tenant = "t-" + UUID.randomUUID();
        String sandbox = sandboxId();
        Instant start = Instant.parse("2026-11-24T09:00:00.300Z");
        lifecycle(
                sandbox,
                created(tenant, sandbox, start.minusMillis(50)),
                new SandboxEvent.SandboxStarted(id(), tenant, start, 1, sandbox, "node-1", "key_1"),
                new SandboxEvent.SandboxKilled(id(), tenant, start.plusMillis(400), 1, sandbox, "requested", "key_1"));
        awaitSeconds(sandbox, 1);
    }

    @Test
    void eachRunningIntervalIsRoundedUpOnItsOwn() {
        String tenant = "t-" + UUID.randomUUID();
        String sandbox = sandboxId();
        Instant start = Instant.parse("2026-11-24T10:00:00.500Z");
        // 1.2 s, paused, resumed later, 0.3 s: 2 s + 1 s
        lifecycle(
                sandbox,
                created(tenant, sandbox, start),
                new SandboxEvent.SandboxStarted(id(), tenant, start, 1, sandbox, "node-1", "key_1"),
                new SandboxEvent.SandboxPaused(
                        id(), tenant, start.plusMillis(1200), 1, sandbox, "key_1", "snp_1", 60_000L),
                new SandboxEvent.SandboxResumed(
                        id(), tenant, start.plusSeconds(30), 1, sandbox, "key_1", "snp_1", start.plusSeconds(90)),
                new SandboxEvent.SandboxKilled(
                        id(), tenant, start.plusSeconds(30).plusMillis(300), 1, sandbox, "requested", "key_1"));
        awaitSeconds(sandbox, 3);
    }

    @Test
    void theNodesSamplesAndARedeliveredLifecycleAddNothingToAnExactInterval() throws Exception {
        String tenant = "t-" + UUID.randomUUID();
        String sandbox = sandboxId();
        Instant start = Instant.parse("2026-11-24T11:00:00Z");
        List<PlatformEvent> lifecycle = List.of(
                created(tenant, sandbox, start),
                new SandboxEvent.SandboxStarted(id(), tenant, start, 1, sandbox, "node-1", "key_1"),
                new SandboxEvent.SandboxExpired(id(), tenant, start.plusSeconds(59), 1, sandbox, "system:ttl"));
        // the node saw every second the sandbox ran: 59 of them, each sent twice
        for (int round = 0; round < 2; round++) {
            for (int s = 0; s < 59; s++) {
                long second = start.getEpochSecond() + s;
                kafka.send(Topics.USAGE_SAMPLES, sandbox, sample(tenant, sandbox, second));
            }
        }
        lifecycle(sandbox, lifecycle.toArray(PlatformEvent[]::new));
        awaitSeconds(sandbox, 59);
        // the same lifecycle again (a redelivery): the interval bills the same 59 seconds, already metered
        lifecycle(sandbox, lifecycle.toArray(PlatformEvent[]::new));
        Thread.sleep(2000);
        assertThat(seconds(sandbox)).isEqualTo(59);
    }

    @Test
    void aSandboxOfANodeThatDiedMidSecondIsBilledUpToTheNodesLastHeartbeat() throws Exception {
        String tenant = "t-" + UUID.randomUUID();
        String sandbox = sandboxId();
        Instant start = Instant.parse("2026-11-24T12:00:00.700Z");
        // the node's last heartbeat came 4.7 s after the start; the loss was told 11 s later
        Instant lastHeartbeat = start.plusMillis(4700);
        for (int s = 0; s < 4; s++) {
            kafka.send(Topics.USAGE_SAMPLES, sandbox, sample(tenant, sandbox, start.getEpochSecond() + s));
        }
        lifecycle(
                sandbox,
                created(tenant, sandbox, start),
                new SandboxEvent.SandboxStarted(id(), tenant, start, 1, sandbox, "node-1", "key_1"),
                new SandboxEvent.SandboxFailed(
                        id(), tenant, lastHeartbeat.plusSeconds(11), 1, sandbox, "node_lost", "node", lastHeartbeat));
        // ceil(4.7 s) = 5 s: seconds 0..4 of the start's second, not the 11 s until the loss was told
        awaitSeconds(sandbox, 5);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> jdbc.queryForObject(
                                "SELECT count(*) FROM sandbox_allocation WHERE sandbox_id = ? AND ended_at IS NOT NULL",
                                Long.class,
                                sandbox)
                        == 1);
        // the node wakes up and fills in the seconds it slept through, the one it died in (5) included:
        // nothing of them is billed
        for (int s = 4; s < 20; s++) {
            kafka.send(Topics.USAGE_SAMPLES, sandbox, sample(tenant, sandbox, start.getEpochSecond() + s));
        }
        kafka.flush();
        Thread.sleep(2000);
        assertThat(seconds(sandbox)).isEqualTo(5);
    }

    private void lifecycle(String sandbox, PlatformEvent... events) {
        for (PlatformEvent event : events) {
            kafka.send(Topics.SANDBOX_EVENTS, sandbox, event);
        }
        kafka.flush();
    }

    private void awaitSeconds(String sandbox, long expected) {
        await().atMost(Duration.ofSeconds(20)).until(() -> seconds(sandbox) == expected);
    }

    private long seconds(String sandbox) {
        return jdbc.queryForObject(
                "SELECT coalesce(sum(seconds), 0) FROM usage_hour WHERE sandbox_id = ?", Long.class, sandbox);
    }

    private static SandboxEvent.SandboxCreated created(String tenant, String sandbox, Instant at) {
        return new SandboxEvent.SandboxCreated(
                id(),
                tenant,
                at,
                1,
                sandbox,
                "prj_1",
                "base",
                600_000,
                at.plusSeconds(600),
                NetworkMode.OFF,
                List.of(),
                1,
                2048,
                1024,
                Map.of(),
                Map.of(),
                "key_1");
    }

    private static UsageSampled sample(String tenant, String sandbox, long second) {
        UUID id = UUID.nameUUIDFromBytes((sandbox + ":" + second).getBytes(StandardCharsets.UTF_8));
        return new UsageSampled(id, tenant, Instant.now(), 1, sandbox, "prj_1", "node-1", second, 1, 2048, 0, 0);
    }

    private static String sandboxId() {
        return "sbx_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
    }

    private static UUID id() {
        return UUID.randomUUID();
    }
}
