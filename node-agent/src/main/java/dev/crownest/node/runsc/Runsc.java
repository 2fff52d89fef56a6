package dev.crownest.node.runsc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crownest.node.NodeProperties;
import dev.crownest.node.runtime.SandboxRuntime;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/**
 * The runsc command line. Every invocation carries the same global flags: runsc does not remember
 * them between create and start (start without --network=none fails in the root namespace).
 * The exception is --network: create and start carry the sandbox's own (none, or sandbox for runsc's
 * netstack on the OCI spec's network namespace); exec, kill, delete and list work with none whatever
 * the sandbox runs (checked with runsc 2022-12). Create, start and restore carry the root overlay's
 * {@code --overlay2=root:dir=...} on the sandbox's own disk too (a restore must repeat a create's
 * flags), never {@code root:self}: that would put the filestore beside the shared template.
 */
@Component
public class Runsc implements SandboxRuntime {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> globalFlags;
    private final List<String> createFlags;

    public Runsc(NodeProperties node) throws IOException {
        Path root = Files.createDirectories(node.stateDir().resolve("runsc"));
        this.globalFlags =
                List.of(node.runscPath(), "--root", root.toString(), "--platform=" + node.platform(), "--network=none");
        this.createFlags = List.of(node.runscPath(), "--root", root.toString(), "--platform=" + node.platform());
    }

    /** Writes the sandbox's OCI bundle, then runsc create and start; the container is named by {@code launch.name()}. */
    @Override
    public String launch(Launch launch) {
        String network = writeBundle(launch);
        create(launch.name(), launch.bundle(), launch.rootOverlay(), network);
        start(launch.name(), launch.bundle(), launch.rootOverlay(), network);
        return launch.name();
    }

    /**
     * A fork: the new sandbox's bundle (its own workspace, overlay directory, network namespace and
     * cgroup) and the source's image. gVisor accepts other mount sources and namespaces than the
     * checkpointed spec's; the restored netstack takes the new namespace's interface and address.
     */
    @Override
    public void restoreAs(Launch launch, Path imageDir, Path logFile) {
        String network = writeBundle(launch);
        restore(launch.name(), launch.bundle(), launch.rootOverlay(), imageDir, logFile, network);
    }

    /** Writes the launch's OCI bundle; answers its runsc --network. */
    private static String writeBundle(Launch launch) {
        String network = launch.network() == null ? "none" : launch.network().runscNetwork();
        try {
            OciBundle.write(
                    launch.bundle(),
                    launch.rootfs(),
                    launch.workspace(),
                    launch.name(),
                    launch.env(),
                    launch.limits(),
                    launch.network() == null ? null : launch.network().namespacePath(),
                    launch.network() == null ? null : launch.network().resolvConfPath(),
                    launch.agentDir(),
                    launch.rootOverlay());
        } catch (IOException e) {
            throw new RunscException("cannot write the OCI bundle: " + e.getMessage());
        }
        return network;
    }

    /** The checkpointed sandbox has exited; its stopped container would block the restore under the same id. */
    @Override
    public void releaseCheckpointed(String id) {
        destroy(id);
    }

    /**
     * The sandbox's PID 1 inherits the stdio of {@code runsc create}: it goes to a file in the bundle,
     * never to a pipe we read (that pipe would stay open for the sandbox's whole life).
     * {@code network}: none, or sandbox (runsc's netstack on the spec's network namespace).
     */
    public void create(String id, Path bundle, Path rootOverlay, String network) {
        runLogged(
                bundle.resolve("runsc-create.log"),
                sandboxFlags(network, rootOverlay, List.of()),
                "create",
                "--bundle",
                bundle.toString(),
                id);
    }

    public void start(String id, Path bundle, Path rootOverlay, String network) {
        runLogged(
                bundle.resolve("runsc-start.log"),
                sandboxFlags(network, rootOverlay, SandboxNetworkStart.wrapper(network)),
                "start",
                id);
    }

    /** The flags of the calls that start a sandbox (create, start, restore), after the namespace wrapper. */
    private List<String> sandboxFlags(String network, Path rootOverlay, List<String> wrapper) {
        if (!network.equals("none") && !network.equals("sandbox")) {
            throw new IllegalArgumentException("runsc network " + network);
        }
        List<String> command = new ArrayList<>(wrapper);
        command.addAll(createFlags);
        command.add("--network=" + network);
        // the filestore is an unlinked file in this directory, on the sandbox's disk image
        // none: a template build's root, written through to the host overlay that keeps its changes
        command.add(rootOverlay == null ? "--overlay2=none" : "--overlay2=root:dir=" + rootOverlay);
        return command;
    }

    /**
     * Saves the sandbox's memory, processes and root overlay to {@code imageDir}; the sandbox exits
     * afterwards, and its stopped container must still be deleted.
     */
    @Override
    public void checkpoint(String id, Path imageDir, Path logFile) {
        runLogged(logFile, "checkpoint", "--image-path", imageDir.toString(), id);
    }

    /**
     * Brings a checkpointed sandbox back from {@code imageDir} with the bundle it was checkpointed
     * with (gVisor wants the same spec). Detached, stdio to a file: a pipe would stay open for good.
     * {@code network} and {@code rootOverlay} as for {@link #start(String, Path, Path, String)}.
     */
    @Override
    public void restore(String id, Path bundle, Path rootOverlay, Path imageDir, Path logFile, String network) {
        // a restore starts a new sandbox: the same network and overlay flags and namespace wrapper as a start
        runLogged(
                logFile,
                sandboxFlags(network, rootOverlay, SandboxNetworkStart.wrapper(network)),
                "restore",
                "--detach",
                "--bundle",
                bundle.toString(),
                "--image-path",
                imageDir.toString(),
                id);
    }

    /** Kills and deletes; quiet when the container is already gone. */
    @Override
    public void destroy(String id) {
        runAllowingFailure("kill", id, "KILL");
        runAllowingFailure("delete", "-force", id);
    }

    /** True: only reconciliation lists states, after thawing the warm pool it left ({@code WarmPool#thawLeftovers}). */
    @Override
    public boolean freezable() {
        return true;
    }

    /** Container id → status (running, created, stopped) of every container under this node's root. */
    @Override
    public Map<String, String> list() {
        String out = run("list", "-format=json");
        Map<String, String> states = new LinkedHashMap<>();
        try {
            JsonNode list = JSON.readTree(out.isBlank() ? "[]" : out);
            list.forEach(c -> states.put(c.path("id").asText(), c.path("status").asText()));
        } catch (IOException e) {
            throw new RunscException("unreadable runsc list output");
        }
        return states;
    }

    /** Starts {@code argv} inside the sandbox as it is, no shell; the caller owns the process and its streams. */
    @Override
    public Process exec(String id, String cwd, Map<String, String> env, List<String> argv) throws IOException {
        List<String> args = new ArrayList<>(globalFlags);
        args.addAll(List.of("exec", "--cwd", cwd));
        env.forEach((k, v) -> {
            args.add("--env");
            args.add(k + "=" + v);
        });
        args.add(id);
        args.addAll(argv);
        return new ProcessBuilder(args).start();
    }

    private void runLogged(Path logFile, String... args) {
        runLogged(logFile, globalFlags, args);
    }

    private void runLogged(Path logFile, List<String> flags, String... args) {
        List<String> command = new ArrayList<>(flags);
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(logFile.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new RunscException("runsc " + args[0] + " timed out");
            }
            if (p.exitValue() != 0) {
                throw new RunscException("runsc " + args[0] + " failed: "
                        + Files.readString(logFile).strip());
            }
        } catch (IOException e) {
            throw new RunscException("cannot run runsc: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RunscException("interrupted");
        }
    }

    private String run(String... args) {
        List<String> command = new ArrayList<>(globalFlags);
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new RunscException("runsc " + args[0] + " timed out");
            }
            if (p.exitValue() != 0) {
                throw new RunscException("runsc " + args[0] + " failed: " + out.strip());
            }
            return out;
        } catch (IOException e) {
            throw new RunscException("cannot run runsc: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RunscException("interrupted");
        }
    }

    private void runAllowingFailure(String... args) {
        try {
            run(args);
        } catch (RunscException ignored) {
            // already stopped or deleted: the goal state holds
        }
    }
}
