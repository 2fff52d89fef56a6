package dev.crownest.systemtest;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;

/**
 * A sandbox stopped for a reason the platform decided, as observed from outside: the deciding event (a
 * breached hard cap, exhausted credit), the control plane's event for the sandbox (killed, paused), and the
 * moment its gVisor sandbox was gone from the node.
 */
record SandboxStop(JsonNode decision, JsonNode recorded, Instant decidedAt, Instant recordedAt, Instant goneAt) {

    long decisionToRecordedMs() {
        return Duration.between(decidedAt, recordedAt).toMillis();
    }

    long decisionToGoneMs() {
        return Duration.between(decidedAt, goneAt).toMillis();
    }

    /** Follows {@code events} until an event {@code decision} takes, one {@code recorded} takes, and the sandbox gone. */
    static SandboxStop await(
            TopicTail events,
            Predicate<TopicTail.Received> decision,
            Predicate<TopicTail.Received> recorded,
            String sandboxId,
            Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        JsonNode decided = null;
        JsonNode stop = null;
        Instant goneAt = null;
        while (Instant.now().isBefore(deadline) && (decided == null || stop == null || goneAt == null)) {
            for (TopicTail.Received r : events.poll(Duration.ofMillis(decided == null ? 100 : 10))) {
                if (decision.test(r)) {
                    decided = r.event();
                } else if (recorded.test(r)
                        && sandboxId.equals(r.event().path("sandboxId").asText())) {
                    stop = r.event();
                }
            }
            if (decided != null
                    && goneAt == null
                    && !SystemUnderTest.runningOnNode().contains(sandboxId)) {
                goneAt = Instant.now();
            }
        }
        if (decided == null || stop == null || goneAt == null) {
            throw new IllegalStateException("sandbox " + sandboxId + " was not stopped within " + timeout
                    + " (decision " + decided + ", recorded " + stop + ", gone " + goneAt + ")");
        }
        return new SandboxStop(
                decided,
                stop,
                Instant.parse(decided.path("occurredAt").asText()),
                Instant.parse(stop.path("occurredAt").asText()),
                goneAt);
    }
}
