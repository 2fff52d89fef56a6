package dev.crownest.node.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crownest.node.NodeProperties;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.util.FileSystemUtils;

/**
 * Each sandbox's directory on this node ({@code <state dir>/sandboxes/<id>}): its record
 * ({@code sandbox.json}, what a restarted node adopts), its runtime's bundle, its /workspace and,
 * while paused, its checkpoint image.
 */
@Component
public class SandboxDirs {
    private static final Logger log = LoggerFactory.getLogger(SandboxDirs.class);
    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();
    private static final String RECORD = "sandbox.json";

    private final Path root;

    public SandboxDirs(NodeProperties node) {
        this.root = node.stateDir().resolve("sandboxes");
    }

    Path of(String sandboxId) {
        return root.resolve(sandboxId);
    }

    /** The host directory that is this sandbox's /workspace (its ext4 image mounted there). */
    Path workspace(String sandboxId) {
        return of(sandboxId).resolve("workspace");
    }

    /** Every sandbox directory there is (the parent is made on a node's first start). */
    List<Path> list() throws IOException {
        try (var dirs = Files.list(Files.createDirectories(root))) {
            return dirs.toList();
        }
    }

    void writeRecord(LocalSandbox sandbox) throws IOException {
        JSON.writeValue(of(sandbox.spec().sandboxId()).resolve(RECORD).toFile(), sandbox);
    }

    /** The record in the directory; null when it has none or it cannot be read. */
    static LocalSandbox readRecord(Path dir) {
        Path record = dir.resolve(RECORD);
        try {
            return Files.exists(record) ? JSON.readValue(record.toFile(), LocalSandbox.class) : null;
        } catch (IOException unreadable) {
            log.warn("unreadable sandbox record {}: {}", record, unreadable.getMessage());
            return null;
        }
    }

    /** Removes a directory with everything in it; what cannot be removed is logged and left. */
    static void delete(Path dir) {
        try {
            FileSystemUtils.deleteRecursively(dir);
        } catch (IOException e) {
            log.warn("could not remove {}: {}", dir, e.getMessage());
        }
    }
}
