package dev.crownest.node.runtime;

import dev.crownest.contracts.api.ApiException;
import dev.crownest.contracts.event.NetworkMode;
import dev.crownest.node.limits.SandboxLimits;
import dev.crownest.node.network.SandboxNetwork;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What differs between the node's container backends: runsc driven directly with OCI bundles
 * ({@code dev.crownest.node.runsc.Runsc}, the default) and Docker with the runsc runtime
 * ({@code dev.crownest.node.docker.DockerRuntime}, {@code crownest.node.runtime=docker}). Everything
 * else of a sandbox (its directory, /workspace disk, network namespace, TTL, records) is the node's
 * and the same for both. Containers are named by the id {@link #launch} answers.
 */
public interface SandboxRuntime {

    /**
     * Everything a sandbox's container is started from.
     *
     * @param name      the container's name: the sandbox id, or the warm pool's {@code pool_...} id
     * @param template  the template's name; {@code rootfs} is its root filesystem
     * @param bundle    a directory of the sandbox's own for the runtime's files (OCI bundle, logs)
     * @param workspace the host directory mounted at /workspace
     * @param rootOverlay a directory on the sandbox's own disk for the writes to its root (the template's
     *                  root filesystem is shared and never written)
     * @param env       the sandbox's environment
     * @param network   its network; null for off
     * @param agentDir  the process agent's directory, mounted read-only at {@code ProcessAgents.MOUNT_POINT}
     */
    record Launch(
            String name,
            String template,
            Path rootfs,
            Path bundle,
            Path workspace,
            Path rootOverlay,
            Map<String, String> env,
            SandboxLimits limits,
            SandboxNetwork network,
            Path agentDir) {}

    /**
     * Creates and starts the sandbox's container with PID 1 a reaper; answers the container id that
     * every later call takes (and that names its host cgroup {@code /crownest/<id>}).
     */
    String launch(Launch launch);

    /**
     * Starts {@code argv} inside the container as it is, its stdin, stdout and stderr the returned
     * process's (commands run through the process agent this starts; see {@code ProcessAgents}).
     */
    Process exec(String containerId, String cwd, Map<String, String> env, List<String> argv) throws IOException;

    /** Starts {@code sh -c cmd} inside the container; the caller owns the process and its streams. */
    default Process exec(String containerId, String cwd, Map<String, String> env, String cmd) throws IOException {
        return exec(containerId, cwd, env, List.of("/bin/sh", "-c", cmd));
    }

    /** Kills and deletes; quiet when the container is already gone. */
    void destroy(String containerId);

    /** Container id → status ({@code running}, or anything else) of every container of this node. */
    Map<String, String> list();

    /**
     * Whether an idle container may be frozen with the host's cgroup freezer behind the runtime's back.
     * A frozen sandbox answers no status query, so only a runtime that never asks one unprompted may
     * (Docker's own death watch lists its containers' states).
     */
    default boolean freezable() {
        return false;
    }

    /** Saves the running container to an image (in or named by {@code imageDir}); it stops afterwards. */
    void checkpoint(String containerId, Path imageDir, Path logFile);

    /** What is left of a checkpointed container once the checkpoint is written (runsc: the stopped container goes). */
    void releaseCheckpointed(String containerId);

    /**
     * Brings a checkpointed container back; {@code rootOverlay} as launched (where the sandbox's
     * directory is now), {@code network} as runsc's --network for create and start.
     */
    void restore(String containerId, Path bundle, Path rootOverlay, Path imageDir, Path logFile, String network);

    /**
     * Starts a new container from another sandbox's checkpoint image (a fork): the launch's own bundle,
     * disk and network, the image's memory and processes. The Docker runtime cannot (409
     * {@code fork_unsupported}).
     */
    default void restoreAs(Launch launch, Path imageDir, Path logFile) {
        throw ApiException.conflict("fork_unsupported", "forks need the runsc runtime on this node");
    }

    /** Refuses a network mode this backend cannot give (an {@code ApiException}); every mode by default. */
    default void requireNetwork(NetworkMode mode) {}
}
