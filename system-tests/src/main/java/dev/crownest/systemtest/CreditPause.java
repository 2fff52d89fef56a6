package dev.crownest.systemtest;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;

/**
 * One credit stop as observed from outside: billing's {@code CreditsExhausted} for a tenant, the control
 * plane's {@code SandboxPaused} for its sandbox, and the moment its gVisor sandbox is gone from the node (a
 * paused sandbox has no runsc container, only its checkpoint image).
 */
public final class CreditPause {
    private final SandboxStop stop;

    private CreditPause(SandboxStop stop) {
        this.stop = stop;
    }

    public JsonNode paused() {
        return stop.recorded();
    }

    public Instant exhaustedAt() {
        return stop.decidedAt();
    }

    public long exhaustedToPausedMs() {
        return stop.decisionToRecordedMs();
    }

    public long exhaustedToStoppedMs() {
        return stop.decisionToGoneMs();
    }

    /** Follows {@code events} (billing and sandbox events) until the tenant was held and its sandbox paused and stopped. */
    public static CreditPause await(TopicTail events, String tenantId, String sandboxId, Duration timeout) {
        return new CreditPause(SandboxStop.await(
                events,
                r -> r.type().equals("CreditsExhausted")
                        && tenantId.equals(r.event().path("tenantId").asText()),
                r -> r.type().equals("SandboxPaused"),
                sandboxId,
                timeout));
    }
}
