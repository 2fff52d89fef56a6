package dev.crownest.systemtest;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;

/**
 * One hard-cap kill as observed from outside: metering's {@code HardCapBreached} for a project, the
 * control plane's {@code SandboxKilled} for the sandbox, and the moment its gVisor sandbox process is gone from the node.
 */
public record HardCapKill(JsonNode breach, JsonNode killed, Instant breachAt, Instant killedAt, Instant stoppedAt) {

    public long breachToKilledMs() {
        return Duration.between(breachAt, killedAt).toMillis();
    }

    public long breachToStoppedMs() {
        return Duration.between(breachAt, stoppedAt).toMillis();
    }

    /** Follows {@code events} (quota and sandbox events) until the sandbox of {@code project} was capped and stopped. */
    public static HardCapKill await(TopicTail events, String project, String sandboxId, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        JsonNode breach = null;
        JsonNode killed = null;
        Instant stoppedAt = null;
        while (Instant.now().isBefore(deadline) && (breach == null || killed == null || stoppedAt == null)) {
            for (TopicTail.Received r : events.poll(Duration.ofMillis(breach == null ? 100 : 10))) {
                if (r.type().equals("HardCapBreached")
                        && project.equals(r.event().path("projectId").asText())) {
                    breach = r.event();
                } else if (r.type().equals("SandboxKilled")
                        && sandboxId.equals(r.event().path("sandboxId").asText())) {
                    killed = r.event();
                }
            }
            if (breach != null
                    && stoppedAt == null
                    && !SystemUnderTest.runningOnNode().contains(sandboxId)) {
                stoppedAt = Instant.now();
            }
        }
        if (breach == null || killed == null || stoppedAt == null) {
            throw new IllegalStateException(
                    "sandbox " + sandboxId + " of " + project + " was not capped and killed within " + timeout
                            + " (breach " + breach + ", killed " + killed + ", gone " + stoppedAt + ")");
        }
        return new HardCapKill(
                breach,
                killed,
                Instant.parse(breach.path("occurredAt").asText()),
                Instant.parse(killed.path("occurredAt").asText()),
                stoppedAt);
    }
}
