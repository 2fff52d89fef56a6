package dev.crownest.contracts.api;

import java.util.List;
import java.util.Map;

/**
 * Body of {@code POST /v1/sandboxes}. Absent fields take documented defaults: template {@code base},
 * ttlMs 300000, network {@code off}, cpu 1, memoryMb 512, diskMb 1024 (the size of /workspace).
 * {@code allowedHosts} applies to network {@code restricted}: the hosts reachable through the egress proxy.
 */
public record CreateSandboxRequest(
        String template,
        Long ttlMs,
        String network,
        List<String> allowedHosts,
        Map<String, String> env,
        Map<String, String> metadata,
        Integer cpu,
        Integer memoryMb,
        Integer diskMb,
        String projectId) {}
