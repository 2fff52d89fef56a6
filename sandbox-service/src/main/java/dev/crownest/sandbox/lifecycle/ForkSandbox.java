package dev.crownest.sandbox.lifecycle;

import dev.crownest.contracts.event.NetworkMode;
import java.util.List;
import java.util.Map;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Create sandbox {@code sandboxId} as a fork of snapshot {@code fromSnapshot} of the paused sandbox
 * {@code sourceSandboxId}: its template, shape and network are the source's (read by the controller),
 * its {@code ttlMs} and {@code metadata} its own.
 */
public record ForkSandbox(
        @TargetAggregateIdentifier String sandboxId,
        String tenantId,
        String projectId,
        String fromSnapshot,
        String sourceSandboxId,
        String template,
        long ttlMs,
        NetworkMode network,
        List<String> allowedHosts,
        int cpu,
        int memoryMb,
        int diskMb,
        Map<String, String> metadata,
        String actor) {}
