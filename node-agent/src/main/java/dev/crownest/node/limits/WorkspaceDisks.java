package dev.crownest.node.limits;

import dev.crownest.node.NodeProperties;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The size limit of a sandbox's own storage: /workspace and the writes to its root. Each sandbox
 * has an ext4 image file ({@code workspace.img}) loop-mounted at {@code disk/} in its directory,
 * holding {@code workspace/} (bind-mounted at the sandbox directory's {@code workspace}, which is
 * /workspace inside) and {@code root/}, where runsc keeps the root overlay's filestore
 * ({@code --overlay2=root:dir=...}). So one {@code diskMb} caps both, a full disk answers ENOSPC
 * inside the sandbox and to the files API, and one sandbox never fills the host's disk beyond its
 * size. The image is sparse: it takes host disk only as the sandbox writes. A few formatted images
 * of the default size wait in a pool, so a create only mounts (mkfs was a noticeable share of a
 * create: docs/benchmarks.md).
 */
@Component
public class WorkspaceDisks {
    private static final Logger log = LoggerFactory.getLogger(WorkspaceDisks.class);
    private static final String IMAGE = "workspace.img";
    private static final String DISK = "disk";

    private final boolean enabled;
    private final int defaultMb;
    private final int poolSize;
    private final Path pool;
    private final AtomicBoolean refilling = new AtomicBoolean();

    public WorkspaceDisks(LimitProperties limits, NodeProperties node) {
        this.enabled = limits.workspaceImages();
        this.defaultMb = limits.defaultDiskMb();
        this.poolSize = limits.workspacePool();
        this.pool = node.stateDir().resolve("workspace-pool");
    }

    /** Fills the pool of ready images at start-up (half-made ones of a crashed agent go first). */
    @EventListener(ApplicationReadyEvent.class)
    public void fillPool() throws IOException {
        if (!enabled || poolSize == 0) {
            return;
        }
        Files.createDirectories(pool);
        try (var files = Files.list(pool)) {
            for (Path file : files.toList()) {
                if (!file.getFileName().toString().endsWith(".img")) {
                    Files.deleteIfExists(file);
                }
            }
        }
        refillAsync();
    }

    /** Where a sandbox's /workspace and root overlay are, on its disk. */
    public record SandboxDisk(Path workspace, Path rootOverlay) {}

    /**
     * The directory of the root overlay's filestore of the sandbox in {@code sandboxDir}: a restore
     * needs it again, and a warm-pool sandbox's directory moves when it is claimed.
     */
    public static Path rootOverlay(Path sandboxDir) {
        return sandboxDir.resolve(DISK).resolve("root");
    }

    /** Makes a fresh, empty file system of {@code sizeMb} for the sandbox's /workspace and root writes. */
    public SandboxDisk attach(Path sandboxDir, int sizeMb) throws IOException {
        if (enabled) {
            Path image = sandboxDir.resolve(IMAGE);
            if (sizeMb != defaultMb || !takeFromPool(image)) {
                format(image, sizeMb);
            }
            refillAsync();
        }
        return mount(sandboxDir);
    }

    /**
     * A copy of another sandbox's disk (a fork of it, paused): its /workspace and root overlay as they
     * are now. The image is copied sparse (and as a reflink where the file system can), after its
     * mounted file system's dirty pages were flushed to it, so the copy takes what the source wrote.
     */
    public SandboxDisk attachCopy(Path sandboxDir, Path sourceDir) throws IOException {
        if (enabled) {
            run("sync", "-f", sourceDir.resolve(DISK).toString());
            run(
                    "cp",
                    "--sparse=always",
                    "--reflink=auto",
                    sourceDir.resolve(IMAGE).toString(),
                    sandboxDir.resolve(IMAGE).toString());
        } else {
            Files.createDirectories(sandboxDir);
            run("cp", "-a", sourceDir.resolve("workspace").toString(), sandboxDir.toString());
        }
        return mount(sandboxDir);
    }

    /** Mounts the sandbox's image (when images are on) and binds its workspace. */
    private SandboxDisk mount(Path sandboxDir) throws IOException {
        Path workspace = Files.createDirectories(sandboxDir.resolve("workspace"));
        Path disk = Files.createDirectories(sandboxDir.resolve(DISK));
        if (enabled) {
            run(
                    "mount",
                    "-o",
                    "loop,nosuid,nodev,noatime",
                    sandboxDir.resolve(IMAGE).toString(),
                    disk.toString());
            Files.deleteIfExists(disk.resolve("lost+found"));
        }
        Path root = Files.createDirectories(rootOverlay(sandboxDir));
        if (enabled) {
            // the sandbox's own files only: the root's filestore is beside it, not under it
            run(
                    "mount",
                    "--bind",
                    Files.createDirectories(disk.resolve("workspace")).toString(),
                    workspace.toString());
        }
        return new SandboxDisk(workspace, root);
    }

    private static void format(Path image, int sizeMb) throws IOException {
        try (RandomAccessFile file = new RandomAccessFile(image.toFile(), "rw")) {
            file.setLength(sizeMb * 1024L * 1024L);
        }
        // No journal, no discard, lazy inode tables: a throwaway file system, made in tens of milliseconds.
        run(
                "mkfs.ext4",
                "-q",
                "-F",
                "-m",
                "0",
                "-O",
                "^has_journal",
                "-E",
                "nodiscard,lazy_itable_init=1",
                image.toString());
    }

    /** Moves a ready image of the default size to {@code image}; false when the pool is empty. */
    private boolean takeFromPool(Path image) throws IOException {
        if (poolSize == 0 || !Files.isDirectory(pool)) {
            return false;
        }
        List<Path> ready;
        try (var files = Files.list(pool)) {
            ready = files.filter(f -> f.getFileName().toString().endsWith(".img"))
                    .toList();
        }
        for (Path candidate : ready) {
            try {
                Files.move(candidate, image, StandardCopyOption.ATOMIC_MOVE);
                return true;
            } catch (NoSuchFileException takenByAnotherCreate) {
                // next one
            }
        }
        return false;
    }

    /** Tops the pool up in the background, one refill at a time. */
    private void refillAsync() {
        if (poolSize == 0 || !refilling.compareAndSet(false, true)) {
            return;
        }
        Thread.ofVirtual().name("workspace-pool").start(() -> {
            try {
                Files.createDirectories(pool);
                while (true) {
                    long ready;
                    try (var files = Files.list(pool)) {
                        ready = files.filter(f -> f.getFileName().toString().endsWith(".img"))
                                .count();
                    }
                    if (ready >= poolSize) {
                        break;
                    }
                    // made under a temporary name, so a create never takes a half-formatted image
                    Path making = pool.resolve(UUID.randomUUID() + ".making");
                    format(making, defaultMb);
                    Files.move(making, pool.resolve(UUID.randomUUID() + ".img"), StandardCopyOption.ATOMIC_MOVE);
                }
            } catch (IOException e) {
                log.warn("could not fill the workspace image pool: {}", e.getMessage());
            } finally {
                refilling.set(false);
            }
        });
    }

    /** The sandbox's disk image (absent when images are off). */
    public static Path image(Path sandboxDir) {
        return sandboxDir.resolve(IMAGE);
    }

    /** Unmounts and removes the image; quiet when there is nothing to do. */
    public void detach(Path sandboxDir) {
        // the workspace's bind mount first: the disk is busy while it is there
        unmount(sandboxDir.resolve("workspace"));
        unmount(sandboxDir.resolve(DISK));
        try {
            Files.deleteIfExists(sandboxDir.resolve(IMAGE));
        } catch (IOException e) {
            log.warn("could not remove {}: {}", sandboxDir.resolve(IMAGE), e.getMessage());
        }
    }

    private static void unmount(Path dir) {
        if (!isMounted(dir)) {
            return;
        }
        try {
            run("umount", dir.toString());
        } catch (IOException busy) {
            // Something on the host still holds it (a files request being answered): detach lazily.
            log.warn("{} busy ({}); unmounting lazily", dir, busy.getMessage());
            try {
                run("umount", "-l", dir.toString());
            } catch (IOException e) {
                log.warn("could not unmount {}: {}", dir, e.getMessage());
            }
        }
    }

    public static boolean isMounted(Path dir) {
        String target = dir.toAbsolutePath().normalize().toString();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                String[] fields = line.split(" ");
                if (fields.length > 4 && unescape(fields[4]).equals(target)) {
                    return true;
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    /** mountinfo writes space, tab, newline and backslash as \ooo. */
    private static String unescape(String field) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 3 < field.length()) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static void run(String... command) throws IOException {
        Process p =
                new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(command[0] + " timed out");
            }
            if (p.exitValue() != 0) {
                throw new IOException(command[0] + " failed: " + out.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }
}
