package dev.crownest.node.sandbox;

import dev.crownest.contracts.api.ApiException;
import dev.crownest.node.agent.ProcessAgents;
import dev.crownest.node.limits.LimitProperties;
import dev.crownest.node.limits.SandboxLimits;
import dev.crownest.node.limits.WorkspaceDisks;
import dev.crownest.node.network.SandboxNetwork;
import dev.crownest.node.network.SandboxNetworks;
import dev.crownest.node.runtime.SandboxRuntime;
import dev.crownest.nodeclient.protocol.NodeFork;
import dev.crownest.nodeclient.protocol.NodeSandboxSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Forks: a new sandbox restored from the snapshot a paused sandbox is at, with that snapshot's memory,
 * processes, root and /workspace, and a network, disk, cgroup and TTL of its own. The source stays
 * paused, untouched: the fork links its checkpoint image and copies its disk image (sparse).
 *
 * <p>A networked fork gets a fresh namespace and address: gVisor's restored netstack takes over the
 * interface it finds there. Its commands get the fork's own proxy settings; a process that was already
 * running in the source keeps the source's in its environment (it would have to be restarted to use
 * the proxy from the fork). The hostname inside stays the source's (restored with the kernel).
 */
@Service
public class SandboxForks {
    private static final Logger log = LoggerFactory.getLogger(SandboxForks.class);

    private final NodeSandboxes sandboxes;
    private final SandboxDirs dirs;
    private final SandboxRuntime runtime;
    private final SandboxNetworks networks;
    private final WorkspaceDisks disks;
    private final LimitProperties limits;
    private final ProcessAgents agents;
    private final Clock clock;

    SandboxForks(
            NodeSandboxes sandboxes,
            SandboxDirs dirs,
            SandboxRuntime runtime,
            SandboxNetworks networks,
            WorkspaceDisks disks,
            LimitProperties limits,
            ProcessAgents agents,
            Clock clock) {
        this.sandboxes = sandboxes;
        this.dirs = dirs;
        this.runtime = runtime;
        this.networks = networks;
        this.disks = disks;
        this.limits = limits;
        this.agents = agents;
        this.clock = clock;
    }

    /**
     * Starts {@code fork.spec().sandboxId()} from the snapshot {@code sourceId} is paused at; idempotent
     * by the new id. 404 when the source is not on this node, 409 {@code snapshot_not_current} when it
     * is not paused at {@code fork.snapshotId()}.
     */
    public LocalSandbox fork(String sourceId, NodeFork fork) {
        if (fork == null || fork.spec() == null) {
            throw ApiException.badRequest("invalid_fork", "spec is required");
        }
        NodeSandboxes.requireSafeId(fork.spec().sandboxId());
        String id = fork.spec().sandboxId();
        synchronized (sandboxes.lockFor(id)) {
            var existing = sandboxes.find(id);
            if (existing.isPresent()) {
                return existing.get();
            }
            Path dir = dirs.of(id);
            long t0 = System.nanoTime();
            try {
                Prepared prepared = prepare(sourceId, fork, dir);
                long t1 = System.nanoTime();
                SandboxNetwork network = networks.attach(prepared.spec());
                long t2 = System.nanoTime();
                Map<String, String> env = new LinkedHashMap<>(network.env());
                env.putAll(
                        prepared.spec().env() == null
                                ? Map.of()
                                : prepared.spec().env());
                NodeSandboxSpec spec = prepared.spec().withEnv(Map.copyOf(env));
                runtime.restoreAs(
                        new SandboxRuntime.Launch(
                                id,
                                spec.template(),
                                sandboxes.templateRootfs(spec.template()),
                                prepared.bundle(),
                                prepared.disk().workspace(),
                                prepared.disk().rootOverlay(),
                                env,
                                SandboxLimits.of(spec, limits),
                                network,
                                agents.binaryDir()),
                        prepared.image(),
                        prepared.bundle().resolve("runsc-restore.log"));
                long t3 = System.nanoTime();
                SandboxDirs.delete(prepared.image());
                log.info(
                        "fork {}: images {} ms, network {} ms, restore {} ms, cleanup {} ms",
                        id,
                        (t1 - t0) / 1_000_000,
                        (t2 - t1) / 1_000_000,
                        (t3 - t2) / 1_000_000,
                        (System.nanoTime() - t3) / 1_000_000);
                return sandboxes.record(
                        new LocalSandbox(spec, clock.instant(), id, LocalSandbox.RUNNING),
                        "forked sandbox {} from sandbox " + sourceId);
            } catch (IOException | RuntimeException e) {
                // Nothing half-made stays behind; the source is as it was.
                runtime.destroy(id);
                networks.detach(id);
                disks.detach(dir);
                SandboxDirs.delete(dir);
                if (e instanceof RuntimeException re) {
                    throw re;
                }
                throw new IllegalStateException("cannot prepare the fork: " + e.getMessage(), e);
            }
        }
    }

    private record Prepared(NodeSandboxSpec spec, Path bundle, WorkspaceDisks.SandboxDisk disk, Path image) {}

    /** Under the source's lock, so no resume or pause of it runs while its images are taken. */
    private Prepared prepare(String sourceId, NodeFork fork, Path dir) throws IOException {
        synchronized (sandboxes.lockFor(sourceId)) {
            LocalSandbox source = sandboxes.require(sourceId);
            if (!source.paused()) {
                throw ApiException.conflict(
                        "snapshot_not_current", "sandbox " + sourceId + " is not paused at a snapshot");
            }
            NodeSandboxes.requireSnapshot(source, fork.snapshotId());
            Path sourceDir = dirs.of(sourceId);
            long t0 = System.nanoTime();
            // the disk first: a ready disk of the pool becomes the fork's directory
            WorkspaceDisks.SandboxDisk disk = disks.attachCopy(
                    dir, sourceDir, SandboxLimits.of(source.spec(), limits).diskMb());
            long t1 = System.nanoTime();
            Path bundle = Files.createDirectories(dir.resolve("bundle"));
            Path image = SnapshotImages.linkCheckpoint(sourceDir, dir);
            log.info(
                    "fork {} of sandbox {}: disk {} ms, checkpoint linked {} ms",
                    fork.spec().sandboxId(),
                    sourceId,
                    (t1 - t0) / 1_000_000,
                    (System.nanoTime() - t1) / 1_000_000);
            return new Prepared(specOf(source.spec(), fork.spec()), bundle, disk, image);
        }
    }

    /** The source's template, shape, network and env; the fork's own id, owner and deadline. */
    private static NodeSandboxSpec specOf(NodeSandboxSpec source, NodeSandboxSpec wanted) {
        return new NodeSandboxSpec(
                wanted.sandboxId(),
                wanted.tenantId() != null ? wanted.tenantId() : source.tenantId(),
                wanted.tenantId() != null ? wanted.projectId() : source.projectId(),
                source.template(),
                source.cpu(),
                source.memoryMb(),
                source.diskMb(),
                source.network(),
                source.allowedHosts(),
                wanted.env() != null && !wanted.env().isEmpty() ? wanted.env() : source.env(),
                wanted.expiresAt());
    }
}
