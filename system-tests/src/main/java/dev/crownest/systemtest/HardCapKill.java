package dev.crownest.systemtest;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;

/**
 * One hard-cap kill as observed from outside: metering's {@code HardCapBreached} for a project, the
 * control plane's {@code SandboxKilled} for the sandbox, and the moment its gVisor sandbox process is gone from the node.
 */
public final class HardCapKill {
    private final SandboxStop stop;

    private HardCapKill(SandboxStop stop) {
        this.stop = stop;
    }

    public JsonNode breach() {
        return stop.decision();
    }

    public JsonNode killed() {
        return stop.recorded();
    }

    public Instant breachAt() {
        return stop.decidedAt();
    }

    public long breachToKilledMs() {
        return stop.decisionToRecordedMs();
    }

    public long breachToStoppedMs() {
        return stop.decisionToGoneMs();
    }

    /** Follows {@code events} (quota and sandbox events) until the sandbox of {@code project} was capped and stopped. */
    public static HardCapKill await(TopicTail events, String project, String sandboxId, Duration timeout) {
        return new HardCapKill(SandboxStop.await(
                events,
                r -> r.type().equals("HardCapBreached")
                        && project.equals(r.event().path("projectId").asText()),
                r -> r.type().equals("SandboxKilled"),
                sandboxId,
                timeout));
    }
}
