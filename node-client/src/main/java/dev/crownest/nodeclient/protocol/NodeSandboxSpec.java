package dev.crownest.nodeclient.protocol;

import dev.crownest.contracts.event.SandboxEvent.SandboxCreated;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Body of the node agent's {@code POST /node/v1/sandboxes}: start this sandbox. Idempotent by
 * {@code sandboxId}: a second call for a running sandbox answers the running one.
 */
public record NodeSandboxSpec(
        String sandboxId,
        String tenantId,
        String projectId,
        String template,
        int cpu,
        int memoryMb,
        int diskMb,
        String network,
        List<String> allowedHosts,
        Map<String, String> env,
        Instant expiresAt) {

    /**
     * What the node starts for a recorded create (or fork): its shape, network and deadline, with
     * {@code env} opened from the event's sealed values by the caller, who holds the stack key.
     */
    public static NodeSandboxSpec of(SandboxCreated created, Map<String, String> env) {
        return new NodeSandboxSpec(
                created.sandboxId(),
                created.tenantId(),
                created.projectId(),
                created.template(),
                created.cpu(),
                created.memoryMb(),
                created.diskMb(),
                created.network() == null ? "off" : created.network().wire(),
                created.allowedHosts(),
                env,
                created.expiresAt());
    }

    /** This spec with another deadline (a resume or a TTL extension moved it). */
    public NodeSandboxSpec withExpiresAt(Instant newExpiresAt) {
        return new NodeSandboxSpec(
                sandboxId,
                tenantId,
                projectId,
                template,
                cpu,
                memoryMb,
                diskMb,
                network,
                allowedHosts,
                env,
                newExpiresAt);
    }

    /** This spec with another env (a fork's own env replaces its source's). */
    public NodeSandboxSpec withEnv(Map<String, String> newEnv) {
        return new NodeSandboxSpec(
                sandboxId,
                tenantId,
                projectId,
                template,
                cpu,
                memoryMb,
                diskMb,
                network,
                allowedHosts,
                newEnv,
                expiresAt);
    }
}
