package dev.crownest.node.docker;

import dev.crownest.node.runtime.ContainerDeaths;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * The docker runtime's counterpart of the empty-cgroup probe: when a sandbox's sentry dies (the
 * host's OOM killer ends a sandbox past its memory limit), Docker reaps the container and removes its
 * cgroup, so no empty cgroup is left to notice. A container Docker does not report running is dead,
 * unless it is being checkpointed (it exits on purpose then).
 */
@Component
@ConditionalOnProperty(name = "crownest.node.runtime", havingValue = "docker")
class ExitedContainers implements ContainerDeaths {
    private final DockerRuntime docker;
    private final DockerCheckpoints checkpoints;

    ExitedContainers(DockerRuntime docker, DockerCheckpoints checkpoints) {
        this.docker = docker;
        this.checkpoints = checkpoints;
    }

    /** Throws when the daemon cannot be reached. */
    @Override
    public Set<String> deadAmong(Collection<String> containerIds) {
        Map<String, String> states = docker.list();
        return containerIds.stream()
                .filter(id -> !checkpoints.checkpointing(id) && !"running".equals(states.get(id)))
                .collect(Collectors.toSet());
    }

    @Override
    public boolean outOfMemory(String containerId) {
        return docker.outOfMemory(containerId);
    }
}
