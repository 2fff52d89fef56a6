package dev.crownest.node.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Ulimit;
import com.github.dockerjava.api.model.Volume;
import dev.crownest.contracts.api.ApiException;
import dev.crownest.contracts.event.NetworkMode;
import dev.crownest.node.NodeProperties;
import dev.crownest.node.agent.ProcessAgents;
import dev.crownest.node.runtime.SandboxRuntime;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Primary;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * The node's second backend: Docker (through docker-java) with runsc as the container runtime, so a
 * sandbox is the same gVisor sandbox as with the direct backend, managed by dockerd and containerd.
 * Containers run from the template's image ({@link TemplateImages}) with network none, the sandbox's cpu quota, memory
 * limit and RLIMIT_NPROC, the node's /workspace disk bind-mounted, the capabilities of the OCI
 * bundle of the direct backend, and PID 1 tini; their host cgroup is {@code /crownest/<container id>},
 * where usage is read as for runsc. Pause and resume: {@link DockerCheckpoints}. Network modes restricted and open are
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
    private static final long CPU_PERIOD_US = 100_000;
    private static final List<String> PATH_ENV =
            List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/root");

    private final DockerClient docker;
    private final DockerProperties properties;
    private final TemplateImages images;
    private final DockerCheckpoints checkpoints;
    private final String nodeLabel;
    /** The execs whose streams are open, by container. */
    private final Map<String, Set<DockerExecProcess>> openExecs = new ConcurrentHashMap<>();

    public DockerRuntime(
            DockerDaemon daemon,
            DockerProperties properties,
            TemplateImages images,
            DockerCheckpoints checkpoints,
            NodeProperties node) {
        this.docker = daemon.client();
        this.properties = properties;
        this.images = images;
        this.checkpoints = checkpoints;
        this.nodeLabel = node.stateDir().toAbsolutePath().toString();
    }

    @Override
    public String launch(Launch launch) {
        String image = images.image(launch.template(), launch.rootfs());
        // the same PID 1 as the direct backend's bundle: the agent's spawner under tini
        List<String> cmd = ProcessAgents.init(launch.rootfs());
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
                // the direct backend's set (OciBundle): apt and dpkg need the file and user ones
                .withCapAdd(
                        Capability.AUDIT_WRITE,
                        Capability.KILL,
                        Capability.NET_BIND_SERVICE,
                        Capability.CHOWN,
                        Capability.DAC_OVERRIDE,
                        Capability.FOWNER,
                        Capability.SETUID,
                        Capability.SETGID,
                        Capability.FSETID)
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
            } catch (ConflictException | NotFoundException gone) {
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

    /** See {@link DockerCheckpoints#checkpoint}; {@code logFile} is Docker's own. */
    @Override
    public void checkpoint(String containerId, Path imageDir, Path logFile) {
        checkpoints.checkpoint(containerId, imageDir);
    }

    /** The stopped container stays: its checkpoint lives in it. */
    @Override
    public void releaseCheckpointed(String containerId) {}

    /** The container starts again from its checkpoint; Docker keeps its bundle and network. */
    @Override
    public void restore(
            String containerId, Path bundle, Path rootOverlay, Path imageDir, Path logFile, String network) {
        checkpoints.restore(containerId);
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
