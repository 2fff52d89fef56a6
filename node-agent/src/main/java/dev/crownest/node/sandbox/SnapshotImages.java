package dev.crownest.node.sandbox;

import dev.crownest.node.limits.WorkspaceDisks;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A paused sandbox's snapshot on this node: its checkpoint image ({@code checkpoint/} in its
 * directory: memory, processes, the root overlay's writes) beside its disk image (/workspace). A fork
 * takes the checkpoint as hard links (runsc only reads an image, and a later pause writes a new one
 * after removing the old files, so links are never written through) and the disk as a sparse copy.
 */
final class SnapshotImages {
    private static final Logger log = LoggerFactory.getLogger(SnapshotImages.class);
    static final String CHECKPOINT = "checkpoint";

    private SnapshotImages() {}

    /** The checkpoint image of the sandbox in {@code sandboxDir}. */
    static Path checkpoint(Path sandboxDir) {
        return sandboxDir.resolve(CHECKPOINT);
    }

    /** Links every file of the source's checkpoint image into {@code forkDir}'s. */
    static Path linkCheckpoint(Path sourceDir, Path forkDir) throws IOException {
        Path from = checkpoint(sourceDir);
        Path to = Files.createDirectories(checkpoint(forkDir));
        try (var files = Files.list(from)) {
            for (Path file : files.toList()) {
                Files.createLink(to.resolve(file.getFileName()), file);
            }
        }
        return to;
    }

    /** What the snapshot holds on the host's disk: the checkpoint and the disk image's allocated blocks. */
    static Long bytes(Path sandboxDir) {
        List<String> command = new ArrayList<>(
                List.of("du", "-s", "-c", "-B1", checkpoint(sandboxDir).toString()));
        if (Files.exists(WorkspaceDisks.image(sandboxDir))) {
            command.add(WorkspaceDisks.image(sandboxDir).toString());
        }
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                return null;
            }
            // the last line is the total: "<bytes>\ttotal"
            String[] lines = out.strip().split("\n");
            return Long.parseLong(lines[lines.length - 1].split("\\s+")[0]);
        } catch (IOException | NumberFormatException e) {
            log.warn("could not size the snapshot in {}: {}", sandboxDir, e.getMessage());
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
