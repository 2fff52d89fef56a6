package dev.crownest.contracts.event;

import java.time.Instant;
import java.util.UUID;

/**
 * One second of one running sandbox, measured by its node agent. {@code eventId} is derived from
 * (sandboxId, second) so a sample re-sent after a crash is the same event and counted once.
 *
 * @param second     epoch second the sample covers
 * @param vcpu       vCPUs allocated to the sandbox in that second
 * @param memoryMb   memory allocated in that second
 * @param cpuSeconds CPU time the sandbox actually used in that second (cgroup), informative
 */
public record UsageSampled(
        UUID eventId,
        String tenantId,
        Instant occurredAt,
        int schemaVersion,
        String sandboxId,
        String projectId,
        String nodeId,
        long second,
        int vcpu,
        int memoryMb,
        double cpuSeconds,
        long memoryUsedBytes)
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
