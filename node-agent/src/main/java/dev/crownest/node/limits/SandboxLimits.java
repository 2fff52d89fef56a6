package dev.crownest.node.limits;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crownest.nodeclient.protocol.NodeSandboxSpec;

/**
 * The limits one sandbox runs under, resolved from its spec and the node's defaults, and how they go
 * into its OCI spec: runsc puts the sandbox in the host cgroup {@code /crownest/<id>} (cpu quota,
 * memory limit; usage is read back from there) and gVisor enforces RLIMIT_NPROC inside.
 */
public record SandboxLimits(int cpu, int memoryMb, int diskMb, int maxProcesses) {
    private static final long CPU_PERIOD_US = 100_000;

    public static SandboxLimits of(NodeSandboxSpec spec, LimitProperties node) {
        return new SandboxLimits(
                spec.cpu() > 0 ? spec.cpu() : node.defaultCpu(),
                spec.memoryMb() > 0 ? spec.memoryMb() : node.defaultMemoryMb(),
                spec.diskMb() > 0 ? spec.diskMb() : node.defaultDiskMb(),
                node.maxProcesses());
    }

    public static String cgroupPath(String sandboxId) {
        return "/crownest/" + sandboxId;
    }

    /** Adds cgroupsPath, resources and the process limit to an OCI spec being written. */
    public void applyTo(ObjectNode spec, String sandboxId) {
        ObjectNode process = object(spec, "process");
        ArrayNode rlimits = process.has("rlimits") ? (ArrayNode) process.get("rlimits") : process.putArray("rlimits");
        rlimits.addObject()
                .put("type", "RLIMIT_NPROC")
                .put("hard", maxProcesses)
                .put("soft", maxProcesses);
        ObjectNode linux = object(spec, "linux");
        linux.put("cgroupsPath", cgroupPath(sandboxId));
        ObjectNode resources = linux.putObject("resources");
        resources.putObject("memory").put("limit", memoryMb * 1024L * 1024L);
        resources.putObject("cpu").put("quota", cpu * CPU_PERIOD_US).put("period", CPU_PERIOD_US);
    }

    private static ObjectNode object(ObjectNode parent, String name) {
        return parent.get(name) instanceof ObjectNode existing ? existing : parent.putObject(name);
    }
}
