package dev.crownest.systemtest;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;

/**
 * One hard-cap kill as observed from outside: metering's {@code HardCapBreached} for a project, the
 * control plane's {@code SandboxKilled} for the sandbox, and the moment runsc no longer lists it.
 */
public record HardCapKill(JsonNode breach, JsonNode killed, Instant breachAt, Instant killedAt, Instant goneAt) {

    public long breachToKilledMs() {
        return Duration.between(breachAt, killedAt).toMillis();
    }

    public long breachToGoneMs() {
        return Duration.between(breachAt, goneAt).toMillis();
    }

    /** Follows {@code events} (quota and sandbox events) until the sandbox of {@code project} was capped and is gone. */
    public static HardCapKill await(TopicTail events, String project, String sandboxId, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        JsonNode breach = null;
        JsonNode killed = null;
        Instant goneAt = null;
        while (Instant.now().isBefore(deadline) && (breach == null || killed == null || goneAt == null)) {
            for (TopicTail.Received r : events.poll(Duration.ofMillis(breach == null ? 100 : 10))) {
                if (r.type().equals("HardCapBreached") && project.equals(r.event().path("projectId").asText())) {
                    breach = r.event();
                } else if (r.type().equals("SandboxKilled") && sandboxId.equals(r.event().path("sandboxId").asText())) {
                    killed = r.event();
                }
            }
            if (breach != null && goneAt == null && !SystemUnderTest.nodeSandboxes().contains(sandboxId)) {
                goneAt = Instant.now();
            }
        }
        if (breach == null || killed == null || goneAt == null) {
            throw new IllegalStateException("sandbox " + sandboxId + " of " + project + " was not capped and killed within "
                    + timeout + " (breach " + breach + ", killed " + killed + ", gone " + goneAt + ")");
        }
        return new HardCapKill(breach, killed, Instant.parse(breach.path("occurredAt").asText()),
                Instant.parse(killed.path("occurredAt").asText()), goneAt);
    }
}
