package dev.crownest.node.docker;

import dev.crownest.node.limits.SandboxDeaths;
import dev.crownest.node.sandbox.LocalSandbox;
import dev.crownest.node.sandbox.NodeSandboxes;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The docker runtime's counterpart of the cgroup watch ({@code limits.DeadSandboxWatch}): when a
 * sandbox's sentry dies (the host's OOM killer ends a sandbox past its memory limit), Docker reaps the
 * container and removes its cgroup, so no empty cgroup is left to notice. A running sandbox whose
 * container Docker does not report running, twice a second apart, is stopped: it is then no longer
 * sampled as running and its workspace is released ({@link SandboxDeaths}).
 */
@Component
@ConditionalOnProperty(name = "crownest.node.runtime", havingValue = "docker")
class ExitedContainerWatch {
    private static final Logger log = LoggerFactory.getLogger(ExitedContainerWatch.class);

    private final NodeSandboxes sandboxes;
    private final DockerRuntime docker;
    private final SandboxDeaths deaths;
    private final Set<String> seenExited = new HashSet<>();

    ExitedContainerWatch(NodeSandboxes sandboxes, DockerRuntime docker, SandboxDeaths deaths) {
        this.sandboxes = sandboxes;
        this.docker = docker;
        this.deaths = deaths;
    }

    @Scheduled(fixedDelay = 1000)
    void stopExitedSandboxes() {
        if (sandboxes.all().isEmpty()) {
            return;
        }
        Map<String, String> states;
        try {
            states = docker.list();
        } catch (RuntimeException daemonUnreachable) {
            log.warn("cannot list containers: {}", daemonUnreachable.getMessage());
            return;
        }
        Set<String> exitedNow = new HashSet<>();
        for (LocalSandbox sandbox : sandboxes.all()) {
            // a paused (or pausing) sandbox's container is stopped by design: it lives in its checkpoint
            if (!sandbox.paused()
                    && !docker.checkpointing(sandbox.containerId())
                    && !"running".equals(states.get(sandbox.containerId()))) {
                exitedNow.add(sandbox.spec().sandboxId());
            }
        }
        for (String id : exitedNow) {
            if (seenExited.contains(id)) {
                sandboxes
                        .find(id)
                        .filter(s -> !s.paused())
                        .ifPresent(s -> deaths.stopDead(s, docker.outOfMemory(s.containerId())));
            }
        }
        seenExited.clear();
        seenExited.addAll(exitedNow);
    }
}
