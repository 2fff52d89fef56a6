package dev.crownest.node.limits;

import dev.crownest.contracts.api.CreateSandboxRequest;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Per-sandbox limits of this node ({@code crownest.node.limits.*}). A spec's cpu, memoryMb or diskMb
 * of 0 takes the default here.
 *
 * @param defaultCpu      vCPUs (cgroup cpu quota) when the spec says 0
 * @param defaultMemoryMb memory limit (cgroup) when the spec says 0
 * @param defaultDiskMb   size of /workspace (an ext4 image) when the spec says 0
 * @param maxProcesses    RLIMIT_NPROC inside the sandbox; gVisor enforces it and the sandbox lives on
 *                        (a host pids cgroup limit kills the whole sandbox instead)
 * @param cgroupRoot      where the host's cgroup v1 hierarchies are mounted
 * @param workspaceImages false: /workspace is a plain host directory without a size limit (for hosts
 *                        without loop devices; never in production)
 * @param workspacePool   formatted images of the default disk size kept ready, so a create mounts one
 *                        instead of running mkfs (0: none)
 */
@ConfigurationProperties("crownest.node.limits")
public record LimitProperties(
        int defaultCpu,
        int defaultMemoryMb,
        int defaultDiskMb,
        int maxProcesses,
        Path cgroupRoot,
        Boolean workspaceImages,
        Integer workspacePool) {
    public LimitProperties {
        // Unset: the control plane's create defaults, so that the warm pool's shape is the common one.
        defaultCpu = defaultCpu > 0 ? defaultCpu : CreateSandboxRequest.DEFAULT_CPU;
        defaultMemoryMb = defaultMemoryMb > 0 ? defaultMemoryMb : CreateSandboxRequest.DEFAULT_MEMORY_MB;
        defaultDiskMb = defaultDiskMb > 0 ? defaultDiskMb : CreateSandboxRequest.DEFAULT_DISK_MB;
        maxProcesses = maxProcesses > 0 ? maxProcesses : 512;
        cgroupRoot = cgroupRoot == null ? Path.of("/sys/fs/cgroup") : cgroupRoot;
        workspaceImages = workspaceImages == null || workspaceImages;
        workspacePool = workspacePool == null ? 2 : Math.max(0, workspacePool);
    }
}
