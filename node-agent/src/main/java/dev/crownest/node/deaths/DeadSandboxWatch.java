package dev.crownest.node.deaths;

import dev.crownest.node.runtime.ContainerDeaths;
import dev.crownest.node.sandbox.LocalSandbox;
import dev.crownest.node.sandbox.NodeSandboxes;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Stops sandboxes that died on their own, so they are not sampled (billed) as running and their
 * workspace is released. Each {@link ContainerDeaths} probe (an empty cgroup; with Docker, a container
 * Docker no longer runs) must name a sandbox twice, a second apart, before it counts: a checkpoint
 * stops a container for a moment on purpose. A paused sandbox has no process by design and is never
 * asked about. {@link SandboxDeaths} stops it and tells the control plane.
 */
@Component
class DeadSandboxWatch {
    private static final Logger log = LoggerFactory.getLogger(DeadSandboxWatch.class);

    private final NodeSandboxes sandboxes;
    private final List<ContainerDeaths> probes;
    private final SandboxDeaths deaths;
    /** Per probe, the sandboxes it named dead last time. */
    private final Map<ContainerDeaths, Set<String>> seenDead = new IdentityHashMap<>();

    DeadSandboxWatch(NodeSandboxes sandboxes, List<ContainerDeaths> probes, SandboxDeaths deaths) {
        this.sandboxes = sandboxes;
        this.probes = probes;
        this.deaths = deaths;
        probes.forEach(probe -> seenDead.put(probe, new HashSet<>()));
    }

    @Scheduled(fixedDelay = 1000)
    void stopDeadSandboxes() {
        for (ContainerDeaths probe : probes) {
            check(probe, seenDead.get(probe));
        }
    }

    private void check(ContainerDeaths probe, Set<String> seen) {
        Map<String, String> sandboxByContainer = new HashMap<>();
        for (LocalSandbox sandbox : sandboxes.all()) {
            if (!sandbox.paused()) {
                sandboxByContainer.put(sandbox.containerId(), sandbox.spec().sandboxId());
            }
        }
        Set<String> deadNow = new HashSet<>();
        if (!sandboxByContainer.isEmpty()) {
            try {
                probe.deadAmong(sandboxByContainer.keySet()).forEach(c -> deadNow.add(sandboxByContainer.get(c)));
            } catch (RuntimeException cannotTell) {
                log.warn("cannot tell which sandboxes died: {}", cannotTell.getMessage());
                return;
            }
        }
        for (String id : deadNow) {
            if (seen.contains(id)) {
                sandboxes
                        .find(id)
                        .filter(s -> !s.paused())
                        .ifPresent(s -> deaths.stopDead(s, probe.outOfMemory(s.containerId())));
            }
        }
        seen.clear();
        seen.addAll(deadNow);
    }
}
