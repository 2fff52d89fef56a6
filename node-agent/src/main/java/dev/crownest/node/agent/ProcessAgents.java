package dev.crownest.node.agent;

import dev.crownest.node.NodeProperties;
import dev.crownest.node.runtime.SandboxRuntime;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * The process agents of this node's sandboxes, one per runsc container, started on a sandbox's first
 * command and again after it was lost (a restore ends every process runsc exec started, gVisor #11439;
 * so does a node-agent restart, whose pipes are gone). The agent binary comes with the node agent
 * (built from src/main/c into the jar), is installed under the state directory, and every sandbox
 * sees that directory read-only at {@link #MOUNT_POINT}. Its spawner ({@link #init}) runs under the
 * sandbox's PID 1 and forks the commands, so that what they leave running survives a pause.
 */
@Component
public class ProcessAgents {
    /** Where sandboxes see the agent's directory. */
    public static final String MOUNT_POINT = "/.crownest";

    private static final String BINARY = "cn-agent";

    private final SandboxRuntime runtime;
    private final Path binaryDir;
    private final Map<String, ProcessAgent> byContainer = new ConcurrentHashMap<>();

    public ProcessAgents(SandboxRuntime runtime, NodeProperties node) throws IOException {
        this.runtime = runtime;
        this.binaryDir = install(node.stateDir().resolve("agent"));
    }

    /**
     * The command of a sandbox's PID 1, the same for every runtime: tini (when the template has it)
     * reaps orphans, zombies that would otherwise pile up against RLIMIT_NPROC, and runs the agent's
     * spawner, which keeps the sandbox alive and forks every command (cn-agent.c, spawner.c). With runsc
     * 0.0~20240729 a restore ends what a {@code runsc exec} started and its descendants (gVisor #11544),
     * and PID 1's tree lives on. Without tini the spawner is PID 1 and reaps them itself.
     */
    public static List<String> init(Path rootfs) {
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(rootfs.resolve("usr/bin/tini"))) {
            command.addAll(List.of("/usr/bin/tini", "--"));
        }
        command.addAll(List.of(MOUNT_POINT + "/" + BINARY, "--spawner"));
        return command;
    }

    /** The host directory to mount read-only at {@link #MOUNT_POINT} in every sandbox. */
    public Path binaryDir() {
        return binaryDir;
    }

    /** Starts the container's agent ahead of its first command (a new or pooled sandbox). */
    public void prestart(String containerId) {
        of(containerId);
    }

    /** The container's agent, started when it has none that lives. */
    public ProcessAgent of(String containerId) {
        return byContainer.compute(containerId, (id, agent) -> agent != null && agent.alive() ? agent : start(id));
    }

    /** Ends the container's agent and the commands it runs (before a checkpoint or a stop). */
    public void close(String containerId) {
        ProcessAgent agent = byContainer.remove(containerId);
        if (agent != null) {
            agent.close();
        }
    }

    @PreDestroy
    void closeAll() {
        byContainer.keySet().forEach(this::close);
    }

    private ProcessAgent start(String containerId) {
        try {
            return new ProcessAgent(
                    containerId,
                    runtime.exec(containerId, "/", Map.of(), List.of(MOUNT_POINT + "/" + BINARY)),
                    gone -> byContainer.remove(containerId, gone));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the process agent of " + containerId, e);
        }
    }

    /**
     * Copies the binary out of the jar, replacing it by a rename: a running sandbox keeps the file it
     * has open, and a new one sees the whole new file.
     */
    private static Path install(Path dir) throws IOException {
        Files.createDirectories(dir);
        try (InputStream in = ProcessAgents.class.getResourceAsStream("/agent/" + BINARY)) {
            if (in == null) {
                throw new IllegalStateException("the node agent was built without agent/" + BINARY
                        + " (the node-agent module compiles it with gcc -static; is gcc with libc6-dev installed?)");
            }
            Path temp = Files.createTempFile(dir, BINARY, ".tmp");
            Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("r-xr-xr-x"));
            Files.move(temp, dir.resolve(BINARY), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        return dir;
    }
}
