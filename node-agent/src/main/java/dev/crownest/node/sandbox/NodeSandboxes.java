package dev.crownest.node.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crownest.contracts.node.NodeSandboxSpec;
import dev.crownest.kit.ApiException;
import dev.crownest.node.NodeProperties;
import dev.crownest.node.network.SandboxNetwork;
import dev.crownest.node.network.SandboxNetworks;
import dev.crownest.node.limits.LimitProperties;
import dev.crownest.node.limits.SandboxLimits;
import dev.crownest.node.limits.WorkspaceDisks;
import dev.crownest.node.runsc.OciBundle;
import dev.crownest.node.runsc.Runsc;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.http.HttpStatus;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.util.FileSystemUtils;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/** The sandboxes of this node: start, stop, TTL, and reconciliation with runsc after a restart. */
@Service
public class NodeSandboxes {
    private static final Logger log = LoggerFactory.getLogger(NodeSandboxes.class);
    private static final Pattern SAFE_ID = Pattern.compile("[a-z0-9_]{1,64}");
    private static final Pattern SAFE_TEMPLATE = Pattern.compile("[a-z0-9-]{1,40}");
    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();

    private final NodeProperties node;
    private final Runsc runsc;
    private final Clock clock;
    private final SandboxNetworks networks;
    private final LimitProperties limits;
    private final WorkspaceDisks disks;
    private final Map<String, LocalSandbox> running = new ConcurrentHashMap<>();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    public NodeSandboxes(NodeProperties node, Runsc runsc, Clock clock, SandboxNetworks networks, LimitProperties limits,
                         WorkspaceDisks disks) {
        this.node = node;
        this.runsc = runsc;
        this.clock = clock;
        this.networks = networks;
        this.limits = limits;
        this.disks = disks;
    }

    /** Starts the sandbox, or answers the running one (idempotent by id). */
    public LocalSandbox start(NodeSandboxSpec spec) {
        if (spec.sandboxId() == null || !SAFE_ID.matcher(spec.sandboxId()).matches()) {
            throw ApiException.badRequest("invalid_sandbox_id", "sandbox id must match " + SAFE_ID);
        }
        Path rootfs = templateRootfs(spec.template());
        synchronized (lockFor(spec.sandboxId())) {
            LocalSandbox existing = running.get(spec.sandboxId());
            if (existing != null) {
                return existing;
            }
            Path dir = sandboxDir(spec.sandboxId());
            try {
                Path bundle = Files.createDirectories(dir.resolve("bundle"));
                SandboxLimits sandboxLimits = SandboxLimits.of(spec, limits);
                Path workspace = disks.attach(dir, sandboxLimits.diskMb());
                SandboxNetwork network = networks.attach(spec);
                // The proxy settings first: a create's own env may override them (only the proxy is reachable anyway).
                Map<String, String> env = new java.util.LinkedHashMap<>(network.env());
                env.putAll(spec.env() == null ? Map.of() : spec.env());
                OciBundle.write(bundle, rootfs, workspace, spec.sandboxId(), env, sandboxLimits,
                        network.namespacePath(), network.resolvConfPath());
                runsc.create(spec.sandboxId(), bundle, network.runscNetwork());
                runsc.start(spec.sandboxId(), bundle, network.runscNetwork());
                LocalSandbox sandbox = new LocalSandbox(spec, clock.instant());
                JSON.writeValue(dir.resolve("sandbox.json").toFile(), sandbox);
                running.put(spec.sandboxId(), sandbox);
                log.info("started sandbox {} from template {}", spec.sandboxId(), spec.template());
                return sandbox;
            } catch (IOException | RuntimeException e) {
                // Nothing half-made stays behind: no container, no directory.
                runsc.destroy(spec.sandboxId());
                networks.detach(spec.sandboxId());
                disks.detach(dir);
                deleteDir(dir);
                if (e instanceof RuntimeException re) {
                    throw re;
                }
                throw new IllegalStateException("cannot prepare the sandbox's bundle", e);
            }
        }
    }

    public void stop(String sandboxId) {
        if (!SAFE_ID.matcher(sandboxId).matches()) {
            return;
        }
        synchronized (lockFor(sandboxId)) {
            running.remove(sandboxId);
            runsc.destroy(sandboxId);
            networks.detach(sandboxId);
            disks.detach(sandboxDir(sandboxId));
            deleteDir(sandboxDir(sandboxId));
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

    /** The node's own TTL guard: the control plane expires sandboxes too; this holds if it cannot. */
    @Scheduled(fixedDelay = 200)
    void enforceTtl() {
        var now = clock.instant();
        running.values().stream()
                .filter(s -> s.spec().expiresAt() != null && !s.spec().expiresAt().isAfter(now))
                .forEach(s -> {
                    log.info("sandbox {} passed its TTL on this node; stopping it", s.spec().sandboxId());
                    stop(s.spec().sandboxId());
                });
    }

    /**
     * After a restart: adopt the sandboxes we have a record of that runsc still runs, end everything
     * else under our runsc root (orphans), and remove directories of sandboxes that are gone.
     */
    @EventListener(ApplicationReadyEvent.class)
    public void reconcile() throws IOException {
        Map<String, String> containers = runsc.list();
        Path sandboxes = Files.createDirectories(node.stateDir().resolve("sandboxes"));
        int adopted = 0, removed = 0;
        try (var dirs = Files.list(sandboxes)) {
            for (Path dir : dirs.toList()) {
                String id = dir.getFileName().toString();
                Path record = dir.resolve("sandbox.json");
                if ("running".equals(containers.get(id)) && Files.exists(record)) {
                    running.put(id, JSON.readValue(record.toFile(), LocalSandbox.class));
                    adopted++;
                } else {
                    // An adopted sandbox keeps its mounted workspace; an orphan's is unmounted first.
                    runsc.destroy(id);
                    disks.detach(dir);
                    deleteDir(dir);
                    removed++;
                }
            }
        }
        for (String id : containers.keySet()) {
            if (!running.containsKey(id)) {
                runsc.destroy(id);
                removed++;
            }
        }
        networks.reconcile(running.keySet());
        log.info("reconciled with runsc: {} sandboxes adopted, {} orphans removed", adopted, removed);
    }

    private Path templateRootfs(String template) {
        if (template == null || !SAFE_TEMPLATE.matcher(template).matches()
                || !Files.isDirectory(node.templatesDir().resolve(template).resolve("rootfs"))) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "invalid_request", "unknown_template",
                    "template '" + template + "' is not built on this node");
        }
        return node.templatesDir().resolve(template).resolve("rootfs");
    }

    /** The host directory that is this sandbox's /workspace (its ext4 image mounted there). */
    public Path workspace(String sandboxId) {
        return sandboxDir(sandboxId).resolve("workspace");
    }

    Path sandboxDir(String sandboxId) {
        return node.stateDir().resolve("sandboxes").resolve(sandboxId);
    }

    private Object lockFor(String sandboxId) {
        return locks.computeIfAbsent(sandboxId, k -> new Object());
    }

    private static void deleteDir(Path dir) {
        try {
            FileSystemUtils.deleteRecursively(dir);
        } catch (IOException e) {
            log.warn("could not remove {}: {}", dir, e.getMessage());
        }
    }
}
