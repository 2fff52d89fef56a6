package dev.crownest.sandbox.lifecycle;

import dev.crownest.contracts.event.NetworkMode;
import java.util.List;
import java.util.Map;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Create a sandbox; defaults are already applied, the aggregate checks the limits. */
public record CreateSandbox(
        @TargetAggregateIdentifier String sandboxId,
        String tenantId,
        String projectId,
        String template,
        long ttlMs,
        NetworkMode network,
        List<String> allowedHosts,
        int cpu,
        int memoryMb,
        int diskMb,
        Map<String, String> env,
        Map<String, String> metadata,
        String actor) {}
