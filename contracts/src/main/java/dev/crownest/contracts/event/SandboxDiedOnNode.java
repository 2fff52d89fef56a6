package dev.crownest.contracts.event;

import java.time.Instant;
import java.util.UUID;

/**
 * A node found one of its sandboxes dead without being asked to stop it (no process left in its
 * cgroup), stopped what was left of it, and tells the control plane, which records the sandbox
 * failed. {@code reason}: {@code out_of_memory} when the host's OOM killer ended it, else
 * {@code sandbox_exited}.
 */
public record SandboxDiedOnNode(
        UUID eventId,
        String tenantId,
        Instant occurredAt,
        int schemaVersion,
        String sandboxId,
        String nodeId,
        String reason)
        implements PlatformEvent {
    @Override
    public String resourceId() {
        return sandboxId;
    }

    @Override
    public String actor() {
        return nodeId;
    }
}
