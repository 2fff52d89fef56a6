package dev.crownest.sandbox.lifecycle;

import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * A node reports it could not start the sandbox, or that it died there; or the control plane lost the
 * sandbox's node ({@code stoppedAt}: the node's last heartbeat, where its running ended; null otherwise).
 */
public record RecordSandboxFailed(@TargetAggregateIdentifier String sandboxId, String reason, Instant stoppedAt) {
    public RecordSandboxFailed(String sandboxId, String reason) {
        this(sandboxId, reason, null);
    }
}
