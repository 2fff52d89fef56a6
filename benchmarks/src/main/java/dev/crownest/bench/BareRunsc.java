package dev.crownest.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The baseline: the same template root filesystem run by {@code runsc} directly from an OCI bundle,
 * with the node agent's gVisor platform (systrap unless given), and no CrowNest platform around it.
 * The runsc binary is {@code -Dcrownest.node.runsc-path}, as the node agent's, or runsc on the PATH.
 */
public final class BareRunsc implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The node agent's default gVisor platform. */
    public static final String DEFAULT_PLATFORM = "systrap";

    private final Path dir;
    private final Path rootfs;
    private final String runsc;
    private final List<String> flags;

    public BareRunsc(Path rootfs) throws IOException {
        this(rootfs, DEFAULT_PLATFORM);
    }

    /** @param platform gVisor's --platform: systrap or ptrace */
    public BareRunsc(Path rootfs, String platform) throws IOException {
        this.dir = Files.createTempDirectory("crownest-bare-runsc");
        this.rootfs = rootfs;
        this.runsc = System.getProperty("crownest.node.runsc-path", "runsc");
        this.flags =
                List.of(runsc, "--root", dir.resolve("root").toString(), "--platform=" + platform, "--network=none");
    }

    /** Writes a bundle for {@code id}: read-only template root, a /workspace bind mount, an idle PID 1. */
    public Path bundle(String id) throws IOException, InterruptedException {
        Path bundle = Files.createDirectories(dir.resolve(id));
        Files.createDirectories(bundle.resolve("workspace"));
        run(bundle, runsc, "spec", "--", "sleep", "infinity");
        ObjectNode spec =
                (ObjectNode) JSON.readTree(bundle.resolve("config.json").toFile());
        spec.putObject("root").put("path", rootfs.toString()).put("readonly", true);
        ((ObjectNode) spec.get("process")).put("terminal", false).put("cwd", "/workspace");
        ObjectNode mount = ((ArrayNode) spec.get("mounts")).addObject();
        mount.put("destination", "/workspace")
                .put("type", "bind")
                .put("source", bundle.resolve("workspace").toString());
        mount.putArray("options").add("rbind").add("rw");
        JSON.writeValue(bundle.resolve("config.json").toFile(), spec);
        return bundle;
    }

    public void createAndStart(String id, Path bundle) throws IOException, InterruptedException {
        runsc(bundle, "create", "--bundle", bundle.toString(), id);
        runsc(bundle, "start", id);
    }

    /** Runs {@code sh -c cmd} in the sandbox; answers the nanoTime at which the first stdout byte arrived. */
    public long execUntilFirstByte(String id, String cmd) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(flags);
        args.addAll(List.of("exec", id, "/bin/sh", "-c", cmd));
        Process p = new ProcessBuilder(args).redirectErrorStream(false).start();
        try (InputStream out = p.getInputStream()) {
            out.read();
            long first = System.nanoTime();
            out.readAllBytes();
            p.waitFor();
            return first;
        }
    }

    /** Runs {@code cmd} in the sandbox and waits for it; fails when it exits non-zero. */
    public void exec(String id, String... cmd) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("exec", id));
        args.addAll(List.of(cmd));
        runsc(dir, args.toArray(String[]::new));
    }

    /** {@code runsc checkpoint} to {@code image}; the sandbox stops, its container remains until {@link #delete}. */
    public void checkpoint(String id, Path image) throws IOException, InterruptedException {
        runsc(dir, "checkpoint", "--image-path", image.toString(), id);
    }

    public void delete(String id) throws IOException, InterruptedException {
        runsc(dir, "delete", "-force", id);
    }

    /** {@code runsc restore --detach} from {@code image} with the bundle it ran with (as the node agent resumes). */
    public void restore(String id, Path bundle, Path image) throws IOException, InterruptedException {
        runsc(bundle, "restore", "--detach", "--bundle", bundle.toString(), "--image-path", image.toString(), id);
    }

    public Path dir() {
        return dir;
    }

    public void destroy(String id) throws IOException, InterruptedException {
        runsc(dir, "kill", id, "KILL");
        runsc(dir, "delete", "-force", id);
    }

    private void runsc(Path cwd, String... args) throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(flags);
        all.addAll(List.of(args));
        run(cwd, all.toArray(String[]::new));
    }

    /**
     * Output goes to a file, never a pipe: the sandbox's PID 1 inherits runsc create's stdio and
     * would hold a pipe open for its whole life.
     */
    private static void run(Path cwd, String... command) throws IOException, InterruptedException {
        Path log = Files.createTempFile("runsc", ".log");
        try {
            Process p = new ProcessBuilder(command)
                    .directory(cwd.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            if (p.waitFor() != 0 && !command[command.length - 2].equals("kill")) {
                throw new IOException(String.join(" ", command) + " failed: "
                        + Files.readString(log).strip());
            }
        } finally {
            Files.deleteIfExists(log);
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        new ProcessBuilder("rm", "-rf", dir.toString()).start().waitFor();
    }
}
