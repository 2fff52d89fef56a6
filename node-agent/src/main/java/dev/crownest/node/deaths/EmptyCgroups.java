package dev.crownest.node.deaths;

import dev.crownest.node.limits.SandboxCgroups;
import dev.crownest.node.runtime.ContainerDeaths;
import java.util.Collection;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * A container whose cgroup holds no process is dead: gVisor has no OOM killer of its own here, so a
 * sandbox past its memory limit is ended whole by the host's, and its cgroup is left empty. Both
 * backends put a sandbox in the host cgroup {@code /crownest/<container id>}. A checkpoint empties
 * it for a moment before deleting it, which the watch's second look rules out.
 */
@Component
class EmptyCgroups implements ContainerDeaths {
    private final SandboxCgroups cgroups;

    EmptyCgroups(SandboxCgroups cgroups) {
        this.cgroups = cgroups;
    }

    @Override
    public Set<String> deadAmong(Collection<String> containerIds) {
        return containerIds.stream().filter(cgroups::isEmpty).collect(Collectors.toSet());
    }

    @Override
    public boolean outOfMemory(String containerId) {
        return cgroups.outOfMemory(containerId);
    }
}
