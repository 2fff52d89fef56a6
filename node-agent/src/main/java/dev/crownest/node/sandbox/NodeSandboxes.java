package dev.crownest.node.sandbox;

import dev.crownest.contracts.api.ApiException;
import dev.crownest.contracts.event.NetworkMode;
import dev.crownest.node.NodeProperties;
import dev.crownest.node.agent.ProcessAgents;
import dev.crownest.node.limits.LimitProperties;
import dev.crownest.node.limits.SandboxLimits;
import dev.crownest.node.limits.WorkspaceDisks;
import dev.crownest.node.network.SandboxNetwork;
import dev.crownest.node.network.SandboxNetworks;
import dev.crownest.node.pool.WarmPool;
import dev.crownest.node.runtime.SandboxRuntime;
import dev.crownest.nodeclient.protocol.NodeResume;
import dev.crownest.nodeclient.protocol.NodeSandboxSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;

/**
 * The sandboxes of this node: start (cold or from the warm pool), pause and resume, TTL, stop. What a
 * restarted node takes back is {@link Reconciliation}'s; where each keeps its files, {@link SandboxDirs}.
 */
@Service
public class NodeSandboxes {
    private static final Logger log = LoggerFactory.getLogger(NodeSandboxes.class);
    private static final Pattern SAFE_ID = Pattern.compile("[a-z0-9_]{1,64}");
    private static final Pattern SAFE_TEMPLATE = Pattern.compile("[a-z0-9-]{1,40}");

    private final NodeProperties node;
    private final SandboxDirs dirs;
    private final SandboxRuntime runtime;
    private final Clock clock;
    private final SandboxNetworks networks;
    private final LimitProperties limits;
    private final WorkspaceDisks disks;
    private final WarmPool warmPool;
    private final ProcessAgents agents;
    private final Map<String, LocalSandbox> running = new ConcurrentHashMap<>();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    /** Deletions of checkpointed containers still under way, by container id (see {@link #pause}). */
    private final Map<String, CompletableFuture<Void>> deleting = new ConcurrentHashMap<>();

    public NodeSandboxes(
            NodeProperties node,
            SandboxDirs dirs,
            SandboxRuntime runtime,
            Clock clock,
            SandboxNetworks networks,
            LimitProperties limits,
            WorkspaceDisks disks,
            WarmPool warmPool,
            ProcessAgents agents) {
        this.agents = agents;
        this.node = node;
        this.dirs = dirs;
        this.runtime = runtime;
        this.clock = clock;
        this.networks = networks;
        this.limits = limits;
        this.disks = disks;
        this.warmPool = warmPool;
    }

    /** Starts the sandbox, or answers the running one (idempotent by id). */
    public LocalSandbox start(NodeSandboxSpec spec) {
        requireSafeId(spec.sandboxId());
        return start(spec, templateRootfs(spec.template()), false);
    }

    /**
     * A template build's sandbox (see {@code TemplateBuilder}): its root is {@code root} written through,
     * without runsc's root overlay, so the build's changes land there; never from the warm pool.
     */
    public LocalSandbox startBuild(NodeSandboxSpec spec, Path root) {
        requireSafeId(spec.sandboxId());
        templateRootfs(spec.template());
        return start(spec, root, true);
    }

    static void requireSafeId(String sandboxId) {
        if (sandboxId == null || !SAFE_ID.matcher(sandboxId).matches()) {
            throw ApiException.badRequest("invalid_sandbox_id", "sandbox id must match " + SAFE_ID);
        }
    }

    private LocalSandbox start(NodeSandboxSpec spec, Path rootfs, boolean build) {
        runtime.requireNetwork(spec.network() == null ? null : NetworkMode.fromWire(spec.network()));
        synchronized (lockFor(spec.sandboxId())) {
            LocalSandbox existing = running.get(spec.sandboxId());
            if (existing != null) {
                return existing;
            }
            Path dir = dirs.of(spec.sandboxId());
            LocalSandbox claimed = build ? null : claimFromPool(spec, dir);
            if (claimed != null) {
                return claimed;
            }
            try {
                SandboxLimits sandboxLimits = SandboxLimits.of(spec, limits);
                // the disk first: a ready disk of the pool becomes the sandbox's directory
                WorkspaceDisks.SandboxDisk disk = disks.attach(dir, sandboxLimits.diskMb());
                Path bundle = Files.createDirectories(dir.resolve("bundle"));
                SandboxNetwork network = networks.attach(spec);
                // The proxy settings first: a create's own env may override them (only the proxy is reachable anyway).
                Map<String, String> env = new LinkedHashMap<>(network.env());
                env.putAll(spec.env() == null ? Map.of() : spec.env());
                String container = runtime.launch(new SandboxRuntime.Launch(
                        spec.sandboxId(),
                        spec.template(),
                        rootfs,
                        bundle,
                        disk.workspace(),
                        build ? null : disk.rootOverlay(),
                        env,
                        sandboxLimits,
                        network,
                        agents.binaryDir()));
                // in the background: the create answers now, the first command will find the agent ready
                Thread.ofVirtual().start(() -> agents.prestart(container));
                LocalSandbox sandbox = new LocalSandbox(spec, clock.instant(), container, LocalSandbox.RUNNING);
                dirs.writeRecord(sandbox);
                running.put(spec.sandboxId(), sandbox);
                log.info("started sandbox {} from template {}", spec.sandboxId(), spec.template());
                return sandbox;
            } catch (IOException | RuntimeException e) {
                // Nothing half-made stays behind: no container, no directory.
                runtime.destroy(spec.sandboxId());
                networks.detach(spec.sandboxId());
                disks.detach(dir);
                SandboxDirs.delete(dir);
                if (e instanceof RuntimeException re) {
                    throw re;
                }
                throw new IllegalStateException("cannot prepare the sandbox's bundle", e);
            }
        }
    }

    /** A pre-started sandbox of the pool under this sandbox's id, or null (then the caller starts one cold). */
    private LocalSandbox claimFromPool(NodeSandboxSpec spec, Path dir) {
        var pooled = warmPool.claim(spec).orElse(null);
        if (pooled == null) {
            return null;
        }
        try {
            warmPool.moveTo(pooled, dir);
            LocalSandbox sandbox = new LocalSandbox(spec, clock.instant(), pooled.containerId(), LocalSandbox.RUNNING);
            dirs.writeRecord(sandbox);
            running.put(spec.sandboxId(), sandbox);
            log.info(
                    "started sandbox {} from the warm pool of template {} (container {})",
                    spec.sandboxId(),
                    spec.template(),
                    pooled.containerId());
            return sandbox;
        } catch (IOException | RuntimeException e) {
            log.warn("could not claim pooled sandbox {}: {}; starting cold", pooled.containerId(), e.toString());
            runtime.destroy(pooled.containerId());
            SandboxDirs.delete(pooled.dir());
            SandboxDirs.delete(dir);
            return null;
        }
    }

    /**
     * Checkpoints the sandbox (memory, processes, root overlay) to an image in its directory, the
     * snapshot {@code snapshotId}, and lets its runsc container go: a paused sandbox uses no CPU or
     * memory, is not sampled, and its TTL does not run here. Idempotent. Its network (namespace, address,
     * proxy, rules) stays for the resume.
     */
    public LocalSandbox pause(String sandboxId, String snapshotId) {
        synchronized (lockFor(sandboxId)) {
            LocalSandbox sandbox = require(sandboxId);
            if (sandbox.paused()) {
                return sandbox;
            }
            Path dir = dirs.of(sandboxId);
            Path image = SnapshotImages.checkpoint(dir);
            SandboxDirs.delete(image);
            // gVisor would end the agent at the restore anyway (#11439); its commands end now, cleanly
            agents.close(sandbox.containerId());
            runtime.checkpoint(
                    sandbox.containerId(), image, dir.resolve("bundle").resolve("runsc-checkpoint.log"));
            // The sandbox has stopped: paused. Deleting its stopped container waits until its exited
            // process is reaped, which a slow init can take a second or two to do; a resume waits for it.
            String container = sandbox.containerId();
            var deleted = new CompletableFuture<Void>();
            deleting.put(container, deleted);
            Thread.ofVirtual().start(() -> {
                try {
                    runtime.releaseCheckpointed(container);
                } finally {
                    deleted.complete(null);
                }
            });
            return record(sandbox.pausedAt(snapshotId, SnapshotImages.bytes(dir)), "paused sandbox {}");
        }
    }

    /**
     * Restores a paused sandbox from its image with the bundle it was started with, into the network it
     * had. {@code resume.snapshotId()}, when given, must be the snapshot it is paused at (409
     * {@code snapshot_not_current}); {@code resume.expiresAt()}, when given, is its deadline from now on.
     * Idempotent.
     */
    public LocalSandbox resume(String sandboxId, NodeResume resume) {
        synchronized (lockFor(sandboxId)) {
            LocalSandbox sandbox = require(sandboxId);
            if (!sandbox.paused()) {
                return sandbox;
            }
            requireSnapshot(sandbox, resume == null ? null : resume.snapshotId());
            Path dir = dirs.of(sandboxId);
            Path bundle = dir.resolve("bundle");
            var pendingDelete = deleting.remove(sandbox.containerId());
            if (pendingDelete != null) {
                pendingDelete.join();
            }
            runtime.restore(
                    sandbox.containerId(),
                    bundle,
                    WorkspaceDisks.rootOverlay(dir),
                    SnapshotImages.checkpoint(dir),
                    bundle.resolve("runsc-restore.log"),
                    networks.forRestore(sandbox.spec()).runscNetwork()); // its network, kept while paused
            LocalSandbox running = sandbox.running();
            if (resume != null && resume.expiresAt() != null) {
                running = running.withSpec(running.spec().withExpiresAt(resume.expiresAt()));
            }
            LocalSandbox resumed = record(running, "resumed sandbox {}");
            SandboxDirs.delete(SnapshotImages.checkpoint(dir));
            return resumed;
        }
    }

    /** 409 {@code snapshot_not_current} unless the paused sandbox is at {@code snapshotId} (null: any). */
    static void requireSnapshot(LocalSandbox sandbox, String snapshotId) {
        if (snapshotId != null && !snapshotId.equals(sandbox.snapshotId())) {
            throw ApiException.conflict(
                    "snapshot_not_current",
                    "sandbox " + sandbox.spec().sandboxId() + " is not paused at snapshot " + snapshotId);
        }
    }

    /** Moves the node's own TTL deadline (the control plane extended it). */
    public LocalSandbox extendTtl(String sandboxId, Instant expiresAt) {
        synchronized (lockFor(sandboxId)) {
            LocalSandbox sandbox = require(sandboxId);
            return record(sandbox.withSpec(sandbox.spec().withExpiresAt(expiresAt)), "moved the TTL of sandbox {}");
        }
    }

    LocalSandbox require(String sandboxId) {
        LocalSandbox sandbox = running.get(sandboxId);
        if (sandbox == null) {
            throw ApiException.notFound("sandbox_not_found", "no sandbox " + sandboxId + " on this node");
        }
        return sandbox;
    }

    /** The record on disk first: after a restart, reconciliation trusts what it says (paused or running). */
    LocalSandbox record(LocalSandbox sandbox, String message) {
        try {
            dirs.writeRecord(sandbox);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the sandbox's record", e);
        }
        running.put(sandbox.spec().sandboxId(), sandbox);
        log.info(message, sandbox.spec().sandboxId());
        return sandbox;
    }

    public void stop(String sandboxId) {
        if (!SAFE_ID.matcher(sandboxId).matches()) {
            return;
        }
        synchronized (lockFor(sandboxId)) {
            LocalSandbox sandbox = running.remove(sandboxId);
            if (sandbox != null) {
                deleting.remove(sandbox.containerId());
            }
            agents.close(sandbox == null ? sandboxId : sandbox.containerId());
            runtime.destroy(sandbox == null ? sandboxId : sandbox.containerId());
            networks.detach(sandboxId);
            disks.detach(dirs.of(sandboxId));
            SandboxDirs.delete(dirs.of(sandboxId));
            log.info("stopped sandbox {}", sandboxId);
        }
        // One lock per sandbox ever seen would grow without end on a long-lived node.
        locks.remove(sandboxId);
    }

    public Optional<LocalSandbox> find(String sandboxId) {
        return Optional.ofNullable(running.get(sandboxId));
    }

    public Collection<LocalSandbox> all() {
        return running.values();
    }

    /**
     * The node's own TTL guard: the control plane expires sandboxes too; this holds if it cannot. A
     * paused sandbox's TTL does not run (its resume brings the deadline moved by the paused time).
     */
    @Scheduled(fixedDelay = 200)
    void enforceTtl() {
        var now = clock.instant();
        running.values().stream()
                .filter(s -> !s.paused()
                        && s.spec().expiresAt() != null
                        && !s.spec().expiresAt().isAfter(now))
                .forEach(s -> {
                    log.info(
                            "sandbox {} passed its TTL on this node; stopping it",
                            s.spec().sandboxId());
                    stop(s.spec().sandboxId());
                });
    }

    /** Takes a sandbox found on disk after a restart back into the node's set (see {@link Reconciliation}). */
    void adopt(String sandboxId, LocalSandbox sandbox) {
        running.put(sandboxId, sandbox);
    }

    /** The ids of the sandboxes this node runs or holds paused (a live view). */
    Set<String> ids() {
        return running.keySet();
    }

    Path templateRootfs(String template) {
        if (template == null
                || !SAFE_TEMPLATE.matcher(template).matches()
                || !Files.isDirectory(node.templatesDir().resolve(template).resolve("rootfs"))) {
            throw new ApiException(
                    HttpStatus.BAD_REQUEST.value(),
                    "invalid_request",
                    "unknown_template",
                    "template '" + template + "' is not built on this node");
        }
        return node.templatesDir().resolve(template).resolve("rootfs");
    }

    /** The host directory that is this sandbox's /workspace (its ext4 image mounted there). */
    public Path workspace(String sandboxId) {
        return dirs.workspace(sandboxId);
    }

    Object lockFor(String sandboxId) {
        return locks.computeIfAbsent(sandboxId, k -> new Object());
    }
}
