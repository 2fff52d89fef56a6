package dev.crownest.node.limits;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.springframework.stereotype.Component;

/**
 * Reads what a sandbox used from the host cgroup v1 hierarchies runsc put it in
 * ({@link SandboxLimits#cgroupPath}): the sentry and all its threads and stubs are counted there.
 */
@Component
public class SandboxCgroups {
    private final Path root;

    public SandboxCgroups(LimitProperties limits) {
        this.root = limits.cgroupRoot();
    }

    /** CPU time used since the sandbox started, in nanoseconds (cpuacct.usage). */
    public OptionalLong cpuNanos(String containerId) {
        return read(containerId, "cpuacct", "cpuacct.usage");
    }

    /** Memory charged now, page cache included (memory.usage_in_bytes). */
    public OptionalLong memoryBytes(String containerId) {
        return read(containerId, "memory", "memory.usage_in_bytes");
    }

    /**
     * True when the container's cgroup (named by its runsc container id) exists but holds no process: its sentry and gofer are gone (the
     * host's OOM killer ends a sandbox past its memory limit this way). False when there is no such
     * cgroup (not started, deleted, checkpointed) or it cannot be read.
     */
    public boolean isEmpty(String containerId) {
        Path procs =
                root.resolve("cpu").resolve("crownest").resolve(containerId).resolve("cgroup.procs");
        try {
            return Files.readString(procs).isBlank();
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * True when the host's OOM killer killed in the container's cgroup (memory.oom_control counts
     * {@code oom_kill}); read before the cgroup goes away with the container.
     */
    public boolean outOfMemory(String containerId) {
        Path control =
                root.resolve("memory").resolve("crownest").resolve(containerId).resolve("memory.oom_control");
        try {
            return Files.readAllLines(control).stream()
                    .anyMatch(line -> line.startsWith("oom_kill ") && !line.equals("oom_kill 0"));
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Stops every process of the sandbox (sentry, gofer, stubs) with the cgroup v1 freezer, as
     * {@code docker pause} does: a frozen sandbox uses no CPU at all. False if this host has no freezer
     * for it, or the write failed; the sandbox then runs on as it was.
     */
    public boolean freeze(String containerId) {
        return writeFreezerState(containerId, "FROZEN");
    }

    /** Lets a frozen sandbox run again (a few milliseconds); harmless on one that is not frozen. */
    public boolean thaw(String containerId) {
        return writeFreezerState(containerId, "THAWED");
    }

    private boolean writeFreezerState(String containerId, String state) {
        Path file =
                root.resolve("freezer").resolve("crownest").resolve(containerId).resolve("freezer.state");
        try {
            Files.writeString(file, state);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private OptionalLong read(String containerId, String controller, String file) {
        Path path = root.resolve(controller)
                .resolve("crownest")
                .resolve(containerId)
                .resolve(file);
        try {
            return OptionalLong.of(Long.parseLong(Files.readString(path).strip()));
        } catch (IOException | NumberFormatException e) {
            // gone (stopped between listing and reading) or no such controller on this host
            return OptionalLong.empty();
        }
    }
}
