package dev.crownest.node.pool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crownest.contracts.event.NetworkMode;
import dev.crownest.node.NodeProperties;
import dev.crownest.node.agent.ProcessAgents;
import dev.crownest.node.limits.LimitProperties;
import dev.crownest.node.limits.SandboxCgroups;
import dev.crownest.node.limits.SandboxLimits;
import dev.crownest.node.limits.WorkspaceDisks;
import dev.crownest.node.runtime.SandboxRuntime;
import dev.crownest.nodeclient.protocol.NodeSandboxSpec;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.util.FileSystemUtils;

/**
 * Pre-started sandboxes per template, so a create of the common shape (network off, default cpu,
 * memory and disk) skips runsc create+start. A pooled sandbox runs under its own container id
 * ({@code pool_...}) for its whole life; it is not metered while in the pool because only claimed
 * sandboxes are in {@code NodeSandboxes}. The spec's env is not in the pooled bundle: exec applies it.
 *
 * <p>Each template's pool is sized from its recent creates ({@link CreateDemand}), between its configured
 * floor and a cap, within the node's memory budget ({@link PoolSizing}); it refills as soon as a sandbox is
 * claimed, several sandboxes at once, and gives back what it holds beyond its target once demand fell.
 *
 * <p>A pooled sandbox unclaimed for {@code freeze-after} is frozen (cgroup freezer) until it is claimed:
 * an idle gVisor sentry under systrap still wakes every 400 µs (its fast-path monitor, in the runsc this
 * node runs), about 5 % of a core per sandbox with nothing in it; frozen it uses none, and the claim's
 * thaw takes a few milliseconds (docs/benchmarks.md, "Idle CPU").
 */
@Component
public class WarmPool {
    private static final Logger log = LoggerFactory.getLogger(WarmPool.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    /** How long after a claim its refill starts (see {@link #refillShortly}). */
    private static final Duration CLAIM_REFILL_DELAY = Duration.ofMillis(150);
    /** The pool's shape: the control plane's create defaults (CreateSandboxRequest's defaults). */
    private final NodeProperties node;

    private final WarmPoolProperties sizes;
    private final WarmPoolSizingProperties sizing;
    private final CreateDemand demand;
    private final SandboxCgroups cgroups;
    private final Clock clock;
    private final SandboxRuntime runtime;
    private final LimitProperties limits;
    private final WorkspaceDisks disks;
    private final ProcessAgents agents;
    private final Map<String, ConcurrentLinkedDeque<Pooled>> ready = new ConcurrentHashMap<>();
    private final AtomicBoolean refilling = new AtomicBoolean();
    /** Set when a claim or a tick wants a refill while one runs: that one goes round again. */
    private final AtomicBoolean refillAgain = new AtomicBoolean();
    /** The target per template of the latest refill (what {@code GET /node/v1/warm-pool} shows as size). */
    private volatile Map<String, Integer> targets = Map.of();

    private final Map<String, Boolean> warnedMissing = new ConcurrentHashMap<>();
    /** When each pooled sandbox (by container id) became ready; removed when it is claimed or ended. */
    private final Map<String, Instant> readySince = new ConcurrentHashMap<>();
    /** Pooled sandboxes frozen now. Freezing and waking hold this set's lock, so a claim never keeps a frozen sandbox. */
    private final Set<String> frozen = new HashSet<>();

    private volatile boolean open;

    /** A started sandbox waiting to be claimed: its runsc container and its directory (bundle, workspace). */
    public record Pooled(String template, String containerId, Path dir) {}

    /** A pool sized by its floors alone at the default sizing (tests that build a node agent by hand). */
    public WarmPool(
            NodeProperties node,
            WarmPoolProperties sizes,
            SandboxRuntime runtime,
            LimitProperties limits,
            WorkspaceDisks disks,
            ProcessAgents agents) {
        this(
                node,
                sizes,
                WarmPoolSizingProperties.defaults(),
                new SandboxCgroups(limits),
                Clock.systemUTC(),
                runtime,
                limits,
                disks,
                agents);
    }

    @Autowired
    public WarmPool(
            NodeProperties node,
            WarmPoolProperties sizes,
            WarmPoolSizingProperties sizing,
            SandboxCgroups cgroups,
            Clock clock,
            SandboxRuntime runtime,
            LimitProperties limits,
            WorkspaceDisks disks,
            ProcessAgents agents) {
        this.agents = agents;
        this.node = node;
        this.sizes = sizes;
        this.sizing = sizing;
        this.demand = new CreateDemand(sizing.window(), sizing.burst());
        this.cgroups = cgroups;
        this.clock = clock;
        this.runtime = runtime;
        this.limits = limits;
        this.disks = disks;
    }

    /** A pooled sandbox for this spec, if its shape is the pool's and one is ready. */
    public Optional<Pooled> claim(NodeSandboxSpec spec) {
        if (!fits(spec)) {
            return Optional.empty();
        }
        demand.record(spec.template(), clock.instant());
        var deque = ready.get(spec.template());
        Optional<Pooled> claimed = deque == null ? Optional.empty() : Optional.ofNullable(deque.pollFirst());
        claimed.ifPresent(pooled -> wake(pooled.containerId()));
        refillShortly();
        return claimed;
    }

    /** The pool's shape: network off and the node's default limits (a spec's 0 means the default). */
    boolean fits(NodeSandboxSpec spec) {
        return (spec.network() == null || NetworkMode.fromWire(spec.network()) == NetworkMode.OFF)
                && (spec.allowedHosts() == null || spec.allowedHosts().isEmpty())
                && (spec.cpu() <= 0 || spec.cpu() == limits.defaultCpu())
                && (spec.memoryMb() <= 0 || spec.memoryMb() == limits.defaultMemoryMb())
                && (spec.diskMb() <= 0 || spec.diskMb() == limits.defaultDiskMb());
    }

    /**
     * Moves a claimed sandbox's directory to {@code sandboxDir}, so the workspace is where every other
     * part of the node looks for it, and points the bundle's mounts there (a restore after a pause
     * re-reads them; the running container keeps the mounts it opened).
     */
    public void moveTo(Pooled pooled, Path sandboxDir) throws IOException {
        Files.createDirectories(sandboxDir.getParent());
        Files.move(pooled.dir(), sandboxDir);
        Path config = sandboxDir.resolve("bundle").resolve("config.json");
        if (!Files.exists(config)) {
            return; // the docker runtime writes no bundle: Docker keeps the container's configuration
        }
        JsonNode spec = JSON.readTree(config.toFile());
        String from = pooled.dir().toString() + "/";
        for (JsonNode mount : spec.path("mounts")) {
            String source = mount.path("source").asText();
            if (source.startsWith(from)) {
                ((ObjectNode) mount).put("source", sandboxDir + "/" + source.substring(from.length()));
            }
        }
        // the EROFS root's overlay directory (dir=<sandbox dir>/disk/root): a restore reads it again
        if (spec.path("annotations") instanceof ObjectNode annotations) {
            annotations.properties().forEach(a -> {
                if (a.getValue().asText().contains(from)) {
                    annotations.put(a.getKey(), a.getValue().asText().replace(from, sandboxDir + "/"));
                }
            });
        }
        JSON.writerWithDefaultPrettyPrinter().writeValue(config.toFile(), spec);
    }

    /**
     * A claim's refill: soon, not at the next tick (the next create of a burst may be milliseconds away),
     * but after the claiming create has answered. A sandbox's start is a runsc process that takes both
     * cores of a small node for a moment; started at once, it doubled the claim's own answer time
     * (docs/benchmarks.md, "warm create at the node").
     */
    private void refillShortly() {
        Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(CLAIM_REFILL_DELAY);
                refillSoon();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** Tops the pools up off the scheduler thread (TTL and usage run there); a claim calls it too. */
    @Scheduled(fixedDelay = 250)
    void refillSoon() {
        if (!open) {
            return;
        }
        freezeIdle();
        refillAgain.set(true);
        if (refilling.compareAndSet(false, true)) {
            Thread.ofVirtual().start(() -> {
                try {
                    while (open && refillAgain.getAndSet(false)) {
                        refill();
                    }
                } finally {
                    refilling.set(false);
                }
            });
        }
    }

    /**
     * Brings every pool to its target: starts what is missing, {@code concurrency} at a time (each round
     * sizes again, so a claim meanwhile is seen), and ends what is beyond it, the longest-waiting first.
     */
    void refill() {
        while (open) {
            Map<String, Integer> wanted = sizeNow();
            targets = wanted;
            List<String> toStart = new ArrayList<>();
            wanted.forEach((template, target) -> {
                var deque = ready.computeIfAbsent(template, t -> new ConcurrentLinkedDeque<>());
                for (int surplus = deque.size() - target; surplus > 0; surplus--) {
                    Pooled idle = deque.pollFirst();
                    if (idle != null) {
                        discard(idle);
                    }
                }
                for (int missing = target - deque.size(); missing > 0 && toStart.size() < sizing.concurrency(); ) {
                    toStart.add(template);
                    missing--;
                }
            });
            if (toStart.isEmpty() || !startAll(toStart)) {
                return; // full, or a start failed: the next tick retries
            }
        }
    }

    /** Starts one sandbox of each template listed, side by side; false if any could not start. */
    private boolean startAll(List<String> templates) {
        List<Thread> starting = new ArrayList<>();
        AtomicBoolean failed = new AtomicBoolean();
        for (String template : templates) {
            starting.add(Thread.ofVirtual().start(() -> {
                Pooled pooled =
                        startOne(template, node.templatesDir().resolve(template).resolve("rootfs"));
                if (pooled == null) {
                    failed.set(true);
                } else if (open) {
                    readySince.put(pooled.containerId(), clock.instant());
                    ready.get(template).addLast(pooled);
                } else {
                    discard(pooled);
                }
            }));
        }
        for (Thread thread : starting) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return !failed.get();
    }

    /** Each pooled template's target now, from its floor, its demand and the memory budget. */
    private Map<String, Integer> sizeNow() {
        Map<String, Integer> floors = new HashMap<>();
        Map<String, Integer> peaks = new HashMap<>();
        sizes.warmPool().forEach((template, floor) -> {
            if (floor == null || floor <= 0) {
                return;
            }
            if (!Files.isDirectory(node.templatesDir().resolve(template).resolve("rootfs"))) {
                if (warnedMissing.putIfAbsent(template, true) == null) {
                    log.warn("warm pool of template {} stays empty: the template is not built on this node", template);
                }
                return;
            }
            floors.put(template, floor);
            peaks.put(template, demand.peak(template, clock.instant()));
        });
        return new PoolSizing((long) sizing.memoryBudgetMb() << 20, sizing.maxPerTemplate())
                .targets(floors, peaks, perSandboxBytes());
    }

    /**
     * What one pooled sandbox counts at against the budget: the most any pooled sandbox's cgroup holds now,
     * at least the configured estimate (a sandbox just started has not grown yet).
     */
    private long perSandboxBytes() {
        long most = (long) sizing.sandboxMemoryMb() << 20;
        for (var deque : ready.values()) {
            for (Pooled pooled : deque) {
                most = Math.max(most, cgroups.memoryBytes(pooled.containerId()).orElse(0));
            }
        }
        return most;
    }

    /** What the ready sandboxes of every pool use together now (their cgroups' memory). */
    public long pooledMemoryBytes() {
        long sum = 0;
        for (var deque : ready.values()) {
            for (Pooled pooled : deque) {
                sum += cgroups.memoryBytes(pooled.containerId()).orElse(0);
            }
        }
        return sum;
    }

    /** The target size of a template's pool now (0 without a pool). */
    public int targetSize(String template) {
        return targets.getOrDefault(template, 0);
    }

    private Pooled startOne(String template, Path rootfs) {
        String id = "pool_" + HexFormat.of().formatHex(randomBytes());
        Path dir = poolDir().resolve(id);
        try {
            // The same bundle a cold start of the pool's shape writes (NodeSandboxes.start), minus env:
            // default limits (its cgroup is named by its container id), a /workspace disk of the default size.
            SandboxLimits shape = new SandboxLimits(
                    limits.defaultCpu(), limits.defaultMemoryMb(), limits.defaultDiskMb(), limits.maxProcesses());
            WorkspaceDisks.SandboxDisk disk = disks.attach(dir, shape.diskMb()); // first: it may become dir
            Path bundle = Files.createDirectories(dir.resolve("bundle"));
            String container = runtime.launch(new SandboxRuntime.Launch(
                    id,
                    template,
                    rootfs,
                    bundle,
                    disk.workspace(),
                    disk.rootOverlay(),
                    Map.of(),
                    shape,
                    null,
                    agents.binaryDir()));
            agents.prestart(container); // the claimer's first command finds it ready
            return new Pooled(template, container, dir);
        } catch (IOException | RuntimeException e) {
            log.warn("could not start a pooled sandbox of template {}: {}", template, e.getMessage());
            discard(new Pooled(template, id, dir));
            return null;
        }
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    /** Ready sandboxes of a template (for the bench and tests). */
    public int readyCount(String template) {
        var deque = ready.get(template);
        return deque == null ? 0 : deque.size();
    }

    /**
     * Ends the unclaimed pooled sandboxes when the node agent stops: after a restart reconciliation
     * would end them anyway, and until then they would hold memory and a mounted workspace.
     */
    @PreDestroy
    void close() {
        open = false;
        ready.values().forEach(deque -> {
            for (Pooled pooled; (pooled = deque.pollFirst()) != null; ) {
                discard(pooled);
            }
        });
    }

    /**
     * Reconciliation after a restart: pool containers of an earlier run are not trusted (nothing says
     * what ran in them); the caller destroys every unadopted container, this removes their directories.
     * Then the pool opens and refills.
     */
    public void resetAndOpen() {
        ready.values().forEach(deque -> {
            for (Pooled p; (p = deque.pollFirst()) != null; ) {
                discard(p);
            }
        });
        try {
            FileSystemUtils.deleteRecursively(poolDir());
        } catch (IOException e) {
            log.warn("could not clear {}: {}", poolDir(), e.getMessage());
        }
        open = true;
    }

    /** Whether a runsc container id is one of the pool's own. */
    public static boolean isPoolContainer(String containerId) {
        return containerId.startsWith("pool_");
    }

    /** Freezes the pooled sandboxes that have waited unclaimed for {@code freeze-after}. */
    private void freezeIdle() {
        if (sizing.freezeAfter().isZero() || !runtime.freezable()) {
            return;
        }
        Instant before = clock.instant().minus(sizing.freezeAfter());
        synchronized (frozen) {
            readySince.forEach((container, since) -> {
                if (since.isBefore(before) && !frozen.contains(container) && cgroups.freeze(container)) {
                    frozen.add(container);
                }
            });
        }
    }

    /** Takes a pooled sandbox out of the idle set, thawing it if it was frozen: before a claim or an end. */
    private void wake(String containerId) {
        synchronized (frozen) {
            readySince.remove(containerId);
            if (frozen.remove(containerId)) {
                cgroups.thaw(containerId);
            }
        }
    }

    /**
     * Thaws the pooled sandboxes an earlier run of this agent left (frozen, perhaps, if it was killed),
     * so reconciliation can list and end them: a frozen sentry answers no runsc status query and takes
     * no signal. Their directories name them.
     */
    public void thawLeftovers() {
        try (Stream<Path> dirs = Files.list(poolDir())) {
            dirs.map(dir -> dir.getFileName().toString())
                    .filter(WarmPool::isPoolContainer)
                    .forEach(cgroups::thaw);
        } catch (IOException e) {
            // no pool directory: nothing was left
        }
    }

    private void discard(Pooled pooled) {
        wake(pooled.containerId());
        runtime.destroy(pooled.containerId());
        disks.detach(pooled.dir());
        try {
            FileSystemUtils.deleteRecursively(pooled.dir());
        } catch (IOException e) {
            log.warn("could not remove {}: {}", pooled.dir(), e.getMessage());
        }
    }

    private Path poolDir() {
        return node.stateDir().resolve("pool");
    }
}
