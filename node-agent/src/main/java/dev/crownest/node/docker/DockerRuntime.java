package dev.crownest.node.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Ulimit;
import com.github.dockerjava.api.model.Volume;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import dev.crownest.contracts.api.ApiException;
import dev.crownest.contracts.event.NetworkMode;
import dev.crownest.node.NodeProperties;
import dev.crownest.node.exec.ProcessAgents;
import dev.crownest.node.runtime.SandboxRuntime;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Primary;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * The node's second backend: Docker (through docker-java) with runsc as the container runtime, so a
 * sandbox is the same gVisor sandbox as with the direct backend, managed by dockerd and containerd.
 * No image is ever pulled: each template's root filesystem is imported once ({@code docker import}
 * of a tar stream), tagged {@code crownest/<template>:<hash of its template.json>}, so a rebuilt
 * template gets a new image. Containers run with network none, the sandbox's cpu quota, memory
 * limit and RLIMIT_NPROC, the node's /workspace disk bind-mounted, the capabilities of the OCI
 * bundle of the direct backend, and PID 1 tini; their host cgroup is {@code /crownest/<container id>},
 * where usage is read as for runsc. Pause ({@code docker checkpoint create}, runsc checkpoint under
 * containerd) and resume ({@code docker start --checkpoint}) only with
 * {@code crownest.node.docker.checkpoints=true}, else 409 {@code pause_unsupported}: see
 * {@link DockerProperties#checkpoints()}. Network modes restricted and open are
 * refused ({@code network_mode_unsupported}): runsc's netstack on a namespace of the node's own needs
 * flags and a start wrapper that Docker's runtime configuration cannot carry per container.
 */
@Component
@Primary
@ConditionalOnProperty(name = "crownest.node.runtime", havingValue = "docker")
public class DockerRuntime implements SandboxRuntime {
    private static final Logger log = LoggerFactory.getLogger(DockerRuntime.class);
    /** Label every container of this node carries: the node's state dir (node agents may share one daemon). */
    static final String NODE_LABEL = "dev.crownest.node-state";

    static final String SANDBOX_LABEL = "dev.crownest.container";
    private static final String CHECKPOINT = "paused";
    private static final long CPU_PERIOD_US = 100_000;
    private static final List<String> PATH_ENV =
            List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/root");

    private final DockerClient docker;
    private final DockerHttpClient http;
    private final DockerProperties properties;
    private final String nodeLabel;
    private final Set<String> images = ConcurrentHashMap.newKeySet();
    private final Map<String, Object> importLocks = new ConcurrentHashMap<>();
    private final Set<String> checkpointing = ConcurrentHashMap.newKeySet();
    /** The execs whose streams are open, by container. */
    private final Map<String, Set<DockerExecProcess>> openExecs = new ConcurrentHashMap<>();

    public DockerRuntime(DockerProperties properties, NodeProperties node) {
        this.properties = properties;
        this.nodeLabel = node.stateDir().toAbsolutePath().toString();
        var config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(properties.host().toString())
                .build();
        // No response timeout: an exec's stream is silent as long as its command is.
        this.http = new ZerodepDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .maxConnections(200)
                .connectionTimeout(Duration.ofSeconds(10))
                .build();
        this.docker = DockerClientImpl.getInstance(config, http);
    }

    @Override
    public String launch(Launch launch) {
        String image = image(launch.template(), launch.rootfs());
        List<String> cmd = new ArrayList<>();
        // PID 1 reaps orphans (zombies would count against RLIMIT_NPROC), as in the direct backend's bundle.
        if (Files.isExecutable(launch.rootfs().resolve("usr/bin/tini"))) {
            cmd.addAll(List.of("/usr/bin/tini", "--"));
        }
        cmd.addAll(List.of("sleep", "infinity"));
        List<String> env = new ArrayList<>(PATH_ENV);
        launch.env().forEach((k, v) -> env.add(k + "=" + v));
        var limits = launch.limits();
        HostConfig host = HostConfig.newHostConfig()
                .withRuntime(properties.runtime())
                .withNetworkMode("none")
                // the same host cgroup as the direct backend's, named by the container id: usage is read there
                .withCgroupParent("/crownest")
                .withCpuPeriod(CPU_PERIOD_US)
                .withCpuQuota(limits.cpu() * CPU_PERIOD_US)
                .withMemory(limits.memoryMb() * 1024L * 1024L)
                .withMemorySwap(limits.memoryMb() * 1024L * 1024L)
                // a host pids limit would kill the whole sandbox; RLIMIT_NPROC is enforced inside gVisor
                .withUlimits(List.of(
                        new Ulimit("nproc", (long) limits.maxProcesses(), (long) limits.maxProcesses()),
                        new Ulimit("nofile", 4096L, 4096L)))
                .withBinds(
                        new Bind(launch.workspace().toString(), new Volume("/workspace")),
                        new Bind(launch.agentDir().toString(), new Volume(ProcessAgents.MOUNT_POINT), AccessMode.ro))
                .withCapDrop(Capability.ALL)
                .withCapAdd(Capability.AUDIT_WRITE, Capability.KILL, Capability.NET_BIND_SERVICE)
                .withSecurityOpts(List.of("no-new-privileges"));
        String id = docker.createContainerCmd(image)
                .withName(launch.name())
                .withHostName(launch.name())
                .withCmd(cmd)
                .withEnv(env)
                .withWorkingDir("/workspace")
                .withLabels(Map.of(NODE_LABEL, nodeLabel, SANDBOX_LABEL, launch.name()))
                .withHostConfig(host)
                .exec()
                .getId();
        try {
            docker.startContainerCmd(id).exec();
        } catch (RuntimeException e) {
            destroy(id);
            throw e;
        }
        return id;
    }

    /** The template's image, imported from its root filesystem the first time it is asked for. */
    String image(String template, Path rootfs) {
        String tag = "crownest/" + template + ":" + version(rootfs);
        if (images.contains(tag)) {
            return tag;
        }
        synchronized (importLocks.computeIfAbsent(template, t -> new Object())) {
            try {
                docker.inspectImageCmd(tag).exec();
            } catch (NotFoundException absent) {
                importRootfs(rootfs, tag);
            }
            images.add(tag);
            return tag;
        }
    }

    private void importRootfs(Path rootfs, String tag) {
        long t0 = System.nanoTime();
        try {
            Process tar = new ProcessBuilder("tar", "--numeric-owner", "-C", rootfs.toString(), "-c", ".")
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            String[] parts = tag.split(":");
            // The import API itself: docker-java's createImageCmd cut the tar stream short here ("unexpected EOF").
            try (var body = tar.getInputStream()) {
                call(
                        DockerHttpClient.Request.builder()
                                .method(DockerHttpClient.Request.Method.POST)
                                .path("/images/create?fromSrc=-&repo=" + parts[0] + "&tag=" + parts[1])
                                .putHeader("Content-Type", "application/x-tar")
                                .body(body),
                        "import");
            }
            if (!tar.waitFor(60, TimeUnit.SECONDS) || tar.exitValue() != 0) {
                throw new IllegalStateException("tar of " + rootfs + " failed");
            }
            docker.inspectImageCmd(tag).exec();
            log.info("imported template image {} from {} in {} ms", tag, rootfs, (System.nanoTime() - t0) / 1_000_000);
        } catch (IOException e) {
            throw new IllegalStateException("cannot import " + rootfs + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted importing " + rootfs);
        }
    }

    /** The template build's record (it changes with every build), else the root filesystem's mtime. */
    private static String version(Path rootfs) {
        try {
            Path record = rootfs.resolveSibling("template.json");
            byte[] what = Files.exists(record)
                    ? Files.readAllBytes(record)
                    : Long.toString(Files.getLastModifiedTime(rootfs).toMillis())
                            .getBytes(StandardCharsets.UTF_8);
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(what))
                    .substring(0, 12);
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot read the template at " + rootfs, e);
        }
    }

    @Override
    public Process exec(String containerId, String cwd, Map<String, String> env, List<String> argv) throws IOException {
        List<String> cmd = new ArrayList<>(argv);
        List<String> envList = new ArrayList<>();
        env.forEach((k, v) -> envList.add(k + "=" + v));
        // Starting a process is not interruptible (as ProcessBuilder.start is not): the node kills a command's
        // group from a request thread that Spring interrupts when its client went away, and the socket
        // calls below would fail on the interrupt instead of starting the kill.
        boolean interrupted = Thread.interrupted();
        try {
            String execId;
            try {
                execId = docker.execCreateCmd(containerId)
                        .withAttachStdin(true)
                        .withAttachStdout(true)
                        .withAttachStderr(true)
                        .withWorkingDir(cwd)
                        .withEnv(envList)
                        .withCmd(cmd.toArray(String[]::new))
                        .exec()
                        .getId();
            } catch (com.github.dockerjava.api.exception.ConflictException | NotFoundException gone) {
                return new ExecRefused("docker exec: " + gone.getMessage()); // exited or removed: as runsc exec answers
            }
            DockerExecProcess process = new DockerExecProcess(docker, execId, ended -> {
                var open = openExecs.get(containerId);
                if (open != null) {
                    open.remove(ended);
                }
            });
            openExecs
                    .computeIfAbsent(containerId, c -> ConcurrentHashMap.newKeySet())
                    .add(process);
            process.start();
            return process;
        } catch (RuntimeException e) {
            throw new IOException("docker exec in " + containerId + " failed: " + e.getMessage(), e);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Whether Docker saw the container's cgroup run out of memory (its State.OOMKilled); false when unknown. */
    boolean outOfMemory(String containerId) {
        try {
            return Boolean.TRUE.equals(
                    docker.inspectContainerCmd(containerId).exec().getState().getOOMKilled());
        } catch (RuntimeException gone) {
            return false;
        }
    }

    /**
     * Removes the container; its execs end with it (Docker keeps the attach stream of an exec whose
     * sandbox died open, so they are let go here rather than left to their deadlines).
     */
    @Override
    public void destroy(String containerId) {
        var execs = openExecs.remove(containerId);
        if (execs != null) {
            execs.forEach(Process::destroy);
        }
        try {
            docker.removeContainerCmd(containerId)
                    .withForce(true)
                    .withRemoveVolumes(true)
                    .exec();
        } catch (NotFoundException gone) {
            // the goal state holds
        } catch (RuntimeException e) {
            log.warn("could not remove container {}: {}", containerId, e.getMessage());
        }
    }

    /** Container id → running, or Docker's other states (exited: stopped or checkpointed; created). */
    @Override
    public Map<String, String> list() {
        Map<String, String> states = new LinkedHashMap<>();
        for (Container c : docker.listContainersCmd()
                .withShowAll(true)
                .withLabelFilter(Map.of(NODE_LABEL, nodeLabel))
                .exec()) {
            states.put(c.getId(), c.getState());
        }
        return states;
    }

    /**
     * {@code docker checkpoint create} (it leaves the container stopped, with the image in Docker's own
     * directory: Docker 20.10 cannot start from a checkpoint elsewhere). {@code imageDir} is made as the
     * node's mark that the sandbox is paused and names the checkpoint.
     */
    @Override
    public void checkpoint(String containerId, Path imageDir, Path logFile) {
        if (!properties.checkpoints()) {
            throw ApiException.conflict(
                    "pause_unsupported",
                    "pause is not available on this node's docker runtime"
                            + " (docker checkpoint of a restored runsc container leaves containerd's task behind)");
        }
        try {
            Files.createDirectories(imageDir);
            Files.writeString(imageDir.resolve("docker-checkpoint"), containerId + " " + CHECKPOINT + "\n");
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + imageDir, e);
        }
        checkpointing.add(containerId);
        try {
            deleteCheckpoint(containerId); // one left by an earlier failed resume would block the name
            call(
                    "POST",
                    "/containers/" + containerId + "/checkpoints",
                    "{\"CheckpointID\":\"" + CHECKPOINT + "\",\"Exit\":true}",
                    "checkpoint");
            // Docker answers before it has cleaned up after the exit; a start in the meantime fails.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline
                    && Boolean.TRUE.equals(docker.inspectContainerCmd(containerId)
                            .exec()
                            .getState()
                            .getRunning())) {
                sleep(20);
            }
        } finally {
            checkpointing.remove(containerId);
        }
    }

    /** Whether the container is being checkpointed now (it exits on purpose then). */
    boolean checkpointing(String containerId) {
        return checkpointing.contains(containerId);
    }

    /** The stopped container stays: its checkpoint lives in it. */
    @Override
    public void releaseCheckpointed(String containerId) {}

    @Override
    public void restore(String containerId, Path bundle, Path imageDir, Path logFile, String network) {
        // Right after a checkpoint, containerd may still hold the image's content (its lease not yet
        // collected) or the exited task's container: Docker 20.10 then fails the start with "already
        // exists" or "id already in use", and a moment later it works.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (true) {
            try {
                call("POST", "/containers/" + containerId + "/start?checkpoint=" + CHECKPOINT, null, "restore");
                break;
            } catch (IllegalStateException e) {
                String why = String.valueOf(e.getMessage());
                if (!(why.contains("already exists") || why.contains("already in use"))
                        || System.nanoTime() > deadline) {
                    throw e;
                }
                sleep(250);
            }
        }
        deleteCheckpoint(containerId);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }

    private void deleteCheckpoint(String containerId) {
        try (var res = http.execute(DockerHttpClient.Request.builder()
                .method(DockerHttpClient.Request.Method.DELETE)
                .path("/containers/" + containerId + "/checkpoints/" + CHECKPOINT)
                .build())) {
            // 404 when there is none
        }
    }

    /** Docker's checkpoint API, which docker-java does not wrap. */
    private void call(String method, String path, String json, String what) {
        var request = DockerHttpClient.Request.builder()
                .method(DockerHttpClient.Request.Method.valueOf(method))
                .path(path);
        if (json != null) {
            request.putHeader("Content-Type", "application/json")
                    .body(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
        }
        call(request, what);
    }

    private void call(DockerHttpClient.Request.Builder request, String what) {
        String path = request.build().path();
        try (var res = http.execute(request.build())) {
            if (res.getStatusCode() / 100 != 2) {
                String body;
                try {
                    body = new String(res.getBody().readAllBytes(), StandardCharsets.UTF_8).strip();
                } catch (IOException e) {
                    body = "";
                }
                throw new IllegalStateException(
                        "docker " + what + " of " + path + " answered " + res.getStatusCode() + ": " + body);
            }
        }
    }

    /** Only network off: see the class comment. */
    @Override
    public void requireNetwork(NetworkMode mode) {
        if (mode != null && mode != NetworkMode.OFF) {
            throw new ApiException(
                    HttpStatus.BAD_REQUEST.value(),
                    "invalid_request",
                    "network_mode_unsupported",
                    "network " + mode.name().toLowerCase()
                            + " is not available on this node's docker runtime; use off");
        }
    }
}
