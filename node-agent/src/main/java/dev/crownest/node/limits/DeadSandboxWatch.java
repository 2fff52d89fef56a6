package dev.crownest.node.limits;

import dev.crownest.node.sandbox.LocalSandbox;
import dev.crownest.node.sandbox.NodeSandboxes;
import java.util.HashSet;
import java.util.Set;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Stops sandboxes that died on their own, so they are not sampled (billed) as running and their
 * workspace is released. gVisor has no OOM killer of its own here: a sandbox past its memory limit
 * is ended whole by the host's OOM killer, and then its cgroup holds no process. Seen empty twice,
 * a second apart, before it counts: a checkpoint empties it for a moment before deleting it.
 * {@link SandboxDeaths} stops it and tells the control plane.
 */
@Component
class DeadSandboxWatch {
    private final NodeSandboxes sandboxes;
    private final SandboxCgroups cgroups;
    private final SandboxDeaths deaths;
    private final Set<String> seenEmpty = new HashSet<>();

    DeadSandboxWatch(NodeSandboxes sandboxes, SandboxCgroups cgroups, SandboxDeaths deaths) {
        this.sandboxes = sandboxes;
        this.cgroups = cgroups;
        this.deaths = deaths;
    }

    @Scheduled(fixedDelay = 1000)
    void stopDeadSandboxes() {
        Set<String> emptyNow = new HashSet<>();
        for (LocalSandbox sandbox : sandboxes.all()) {
            // A paused sandbox has no process by design: it lives in its checkpoint image.
            if (!sandbox.paused() && cgroups.isEmpty(sandbox.containerId())) {
                emptyNow.add(sandbox.spec().sandboxId());
            }
        }
        for (String id : emptyNow) {
            if (seenEmpty.contains(id)) {
                sandboxes.find(id).ifPresent(s -> deaths.stopDead(s, cgroups.outOfMemory(s.containerId())));
            }
        }
        seenEmpty.clear();
        seenEmpty.addAll(emptyNow);
    }
}
