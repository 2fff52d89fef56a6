package dev.crownest.sandbox.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crownest.contracts.event.HeartbeatProbe;
import dev.crownest.contracts.event.NodeHeartbeat;
import dev.crownest.contracts.node.NodeView;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * When a node counts as lost, on a clock the test moves: only after the heartbeat timeout of silence
 * that this instance could hear. A Kafka outage, or this instance paused, silences its own probes too,
 * and the node then gets a whole timeout after the hearing is back.
 */
class NodeLossDetectorTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final String NODE = "node-1";

    private final MovableClock clock = new MovableClock(Instant.parse("2026-12-07T20:00:00.250Z"));
    private final KafkaHearing hearing = new KafkaHearing(null, clock);
    private final NodeRegistry registry = new NodeRegistry(
            clock, hearing, new NodeReconciliation(null, WebClient.builder(), new ObjectMapper(), clock));
    private final NodeLossDetector detector =
            new NodeLossDetector(registry, hearing, null, null, clock, new NodeLossProperties(TIMEOUT));

    @Test
    void aNodeSilentForLongerThanTheTimeoutWhileTheTopicIsHeardIsLost() {
        heardFor(Duration.ofSeconds(3));
        heartbeat();
        heardFor(Duration.ofSeconds(10));
        assertThat(detector.silentAmong(List.of(NODE))).as("10 s: not yet").isEmpty();
        heardFor(Duration.ofSeconds(1));
        assertThat(detector.silentAmong(List.of(NODE))).containsExactly(NODE);
        assertThat(registry.lose(NODE).view().state()).isEqualTo(NodeView.DOWN);
        assertThat(registry.find(NODE).orElseThrow().lastHeartbeatAt()).isEqualTo(lastBeat);
    }

    @Test
    void aKafkaOutageIsNotSilenceAndTheNodeGetsAWholeTimeoutOnceItIsBack() {
        heardFor(Duration.ofSeconds(3));
        heartbeat();
        heardFor(Duration.ofSeconds(2));
        // Kafka away for 30 s: neither heartbeats nor probes arrive
        clock.move(Duration.ofSeconds(30));
        assertThat(hearing.hearingSince()).isEmpty();
        assertThat(detector.silentAmong(List.of(NODE))).isEmpty();
        // back: the probes held in the producer arrive late (not hearing), then fresh ones
        staleProbe(Duration.ofSeconds(20));
        assertThat(hearing.hearingSince()).isEmpty();
        heardFor(Duration.ofSeconds(9));
        assertThat(detector.silentAmong(List.of(NODE))).as("9 s of hearing").isEmpty();
        heartbeat(); // the node agent's producer got through
        heardFor(Duration.ofSeconds(9));
        assertThat(detector.silentAmong(List.of(NODE))).isEmpty();
        assertThat(registry.find(NODE).orElseThrow().view().state()).isEqualTo(NodeView.READY);
    }

    @Test
    void anInstancePausedLongerThanTheTimeoutLosesNobodyWhenItWakes() {
        heardFor(Duration.ofSeconds(3));
        heartbeat();
        clock.move(Duration.ofSeconds(40)); // SIGSTOP of sandbox-service, then SIGCONT
        assertThat(detector.silentAmong(List.of(NODE))).isEmpty();
        staleProbe(Duration.ofSeconds(39)); // what it sent before the pause
        heardFor(Duration.ofSeconds(2));
        heartbeat(); // the node's heartbeats of meanwhile are read
        heardFor(Duration.ofSeconds(9));
        assertThat(detector.silentAmong(List.of(NODE))).isEmpty();
    }

    @Test
    void aNodeKnownOnlyFromItsSandboxesIsLostATimeoutAfterHearingStarts() {
        // after a restart of sandbox-service: the read model says node-2 holds sandboxes, and it is silent
        heardFor(Duration.ofSeconds(10));
        assertThat(detector.silentAmong(List.of("node-2"))).isEmpty();
        heardFor(Duration.ofSeconds(2));
        assertThat(detector.silentAmong(List.of("node-2"))).containsExactly("node-2");
        assertThat(registry.lose("node-2").lastHeartbeatAt()).isNull();
    }

    @Test
    void aLostNodeThatHeartbeatsAgainIsReady() {
        heardFor(Duration.ofSeconds(1));
        heartbeat();
        heardFor(Duration.ofSeconds(12));
        assertThat(detector.silentAmong(List.of(NODE))).containsExactly(NODE);
        registry.lose(NODE);
        heartbeat();
        assertThat(registry.find(NODE).orElseThrow().view().state()).isEqualTo(NodeView.READY);
        assertThat(detector.silentAmong(List.of(NODE))).isEmpty();
    }

    private Instant lastBeat;

    private void heartbeat() {
        lastBeat = clock.instant();
        registry.heard(
                new NodeHeartbeat(UUID.randomUUID(), null, lastBeat, 2, NODE, "http://127.0.0.1:1", 0, List.of()));
    }

    /** Time passes while this instance's probes come back, one a second (taking 20 ms). */
    private void heardFor(Duration duration) {
        for (long s = 0; s < duration.toSeconds(); s++) {
            Instant sent = clock.instant();
            clock.move(Duration.ofMillis(20));
            hearing.arrived(new HeartbeatProbe(UUID.randomUUID(), null, sent, 1, hearing.instanceId()));
            clock.move(Duration.ofMillis(980));
        }
    }

    private void staleProbe(Duration age) {
        hearing.arrived(
                new HeartbeatProbe(UUID.randomUUID(), null, clock.instant().minus(age), 1, hearing.instanceId()));
    }

    /** A clock the test moves. */
    private static final class MovableClock extends Clock {
        private Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        void move(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
