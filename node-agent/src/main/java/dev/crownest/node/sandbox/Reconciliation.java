package dev.crownest.node.sandbox;

import dev.crownest.node.limits.WorkspaceDisks;
import dev.crownest.node.network.SandboxNetworks;
import dev.crownest.node.pool.WarmPool;
import dev.crownest.node.runtime.SandboxRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * What a node agent finds after a restart, made consistent with what its runtime runs: the sandboxes
 * it has a record of come back into {@link NodeSandboxes}, everything else goes.
 */
@Component
public class Reconciliation {
    private static final Logger log = LoggerFactory.getLogger(Reconciliation.class);

    private final NodeSandboxes sandboxes;
    private final SandboxDirs dirs;
    private final SandboxRuntime runtime;
    private final WorkspaceDisks disks;
    private final SandboxNetworks networks;
    private final WarmPool warmPool;

    public Reconciliation(
            NodeSandboxes sandboxes,
            SandboxDirs dirs,
            SandboxRuntime runtime,
            WorkspaceDisks disks,
            SandboxNetworks networks,
            WarmPool warmPool) {
        this.sandboxes = sandboxes;
        this.dirs = dirs;
        this.runtime = runtime;
        this.disks = disks;
        this.networks = networks;
        this.warmPool = warmPool;
    }

    /**
     * After a restart: adopt the sandboxes we have a record of that runsc still runs, and the paused
     * ones whose image is there (a paused sandbox has no runsc container); end everything else under
     * our runsc root (orphans, and the warm pool of the last run), and remove directories of sandboxes
     * that are gone. Then the warm pool opens.
     */
    @EventListener(ApplicationReadyEvent.class)
    public void reconcile() throws IOException {
        warmPool.thawLeftovers();
        Map<String, String> containers = runtime.list();
        int adopted = 0, removed = 0;
        Set<String> adoptedContainers = new HashSet<>();
        for (Path dir : dirs.list()) {
            String id = dir.getFileName().toString();
            LocalSandbox sandbox = SandboxDirs.readRecord(dir);
            boolean alive = sandbox != null
                    && (sandbox.paused()
                            ? Files.isDirectory(dir.resolve("checkpoint"))
                            : "running".equals(containers.get(sandbox.containerId())));
            if (alive) {
                sandboxes.adopt(id, sandbox);
                if (sandbox.paused()) {
                    // Paused lives in its image; a stopped container left from the checkpoint would block the
                    // restore.
                    runtime.releaseCheckpointed(sandbox.containerId());
                }
                adoptedContainers.add(sandbox.containerId());
                adopted++;
            } else {
                // An adopted sandbox keeps its mounted workspace; an orphan's is unmounted first.
                runtime.destroy(sandbox == null ? id : sandbox.containerId());
                disks.detach(dir);
                SandboxDirs.delete(dir);
                removed++;
            }
        }
        for (String id : containers.keySet()) {
            if (!adoptedContainers.contains(id)) {
                runtime.destroy(id);
                removed++;
            }
        }
        networks.reconcile(sandboxes.ids());
        warmPool.resetAndOpen();
        log.info("reconciled with runsc: {} sandboxes adopted, {} orphans removed", adopted, removed);
    }
}
