package dev.crownest.contracts.api;

import java.util.List;
import java.util.Map;

/**
 * Body of {@code POST /v1/sandboxes}. Absent fields take documented defaults: template {@code base},
 * ttlMs 300000, network {@code off}, cpu 1, memoryMb 512, diskMb 1024 (the size of /workspace).
 * {@code allowedHosts} applies to network {@code restricted}: the hosts reachable through the egress proxy.
 * The defaults are the constants here; a node's warm pool holds sandboxes of that shape.
 *
 * <p>{@code fromSnapshot} makes the create a fork: a new sandbox with the snapshot's memory, processes,
 * root and /workspace. A fork takes everything from its source but {@code ttlMs} and {@code metadata};
 * any other field is refused.
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
        String projectId,
        String fromSnapshot) {

    public CreateSandboxRequest(
            String template,
            Long ttlMs,
            String network,
            List<String> allowedHosts,
            Map<String, String> env,
            Map<String, String> metadata,
            Integer cpu,
            Integer memoryMb,
            Integer diskMb,
            String projectId) {
        this(template, ttlMs, network, allowedHosts, env, metadata, cpu, memoryMb, diskMb, projectId, null);
    }

    public static final String DEFAULT_TEMPLATE = "base";
    public static final long DEFAULT_TTL_MS = 300_000;
    public static final int DEFAULT_CPU = 1;
    public static final int DEFAULT_MEMORY_MB = 512;
    public static final int DEFAULT_DISK_MB = 1024;

    public String templateOrDefault() {
        return template == null ? DEFAULT_TEMPLATE : template;
    }

    public long ttlMsOrDefault() {
        return ttlMs == null ? DEFAULT_TTL_MS : ttlMs;
    }

    public int cpuOrDefault() {
        return cpu == null ? DEFAULT_CPU : cpu;
    }

    public int memoryMbOrDefault() {
        return memoryMb == null ? DEFAULT_MEMORY_MB : memoryMb;
    }

    public int diskMbOrDefault() {
        return diskMb == null ? DEFAULT_DISK_MB : diskMb;
    }
}
