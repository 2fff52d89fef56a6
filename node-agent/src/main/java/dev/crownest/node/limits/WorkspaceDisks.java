package dev.crownest.node.limits;

import dev.crownest.node.NodeProperties;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.util.FileSystemUtils;

/**
 * The size limit of a sandbox's own storage: /workspace and the writes to its root. Each sandbox
 * has an ext4 image file ({@code workspace.img}) loop-mounted at {@code disk/} in its directory,
 * holding {@code workspace/} (bind-mounted at the sandbox directory's {@code workspace}, which is
 * /workspace inside) and {@code root/}, where runsc keeps the root overlay's filestore
 * ({@code --overlay2=root:dir=...}). So one {@code diskMb} caps both, a full disk answers ENOSPC
 * inside the sandbox and to the files API, and one sandbox never fills the host's disk beyond its
 * size. The image is sparse: it takes host disk only as the sandbox writes. A few disks of the
 * default size wait in a pool formatted and mounted ({@code workspace-pool/<uuid>/}, laid out as a
 * sandbox directory), so a create or fork whose directory does not exist yet takes one by renaming it
 * into place: mkfs and the loop mount were most of a fork's own time (docs/benchmarks.md). A rename
 * carries the mounts inside the directory along.
 */
@Component
public class WorkspaceDisks {
    private static final Logger log = LoggerFactory.getLogger(WorkspaceDisks.class);
    private static final String IMAGE = "workspace.img";
    private static final String DISK = "disk";
    private static final long REFILL_AFTER_MS = 1500;

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

    /**
     * Fills the pool of ready disks at start-up. What the last agent left there (mounted, or half-made by
     * a crash) goes first: a fresh disk costs tens of milliseconds in the background.
     */
    @EventListener(ApplicationReadyEvent.class)
    public void fillPool() throws IOException {
        if (!enabled || poolSize == 0) {
            return;
        }
        Files.createDirectories(pool);
        try (var entries = Files.list(pool)) {
            for (Path entry : entries.toList()) {
                if (Files.isDirectory(entry)) {
                    detach(entry);
                }
                FileSystemUtils.deleteRecursively(entry);
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

    /**
     * Makes a fresh, empty file system of {@code sizeMb} for the sandbox's /workspace and root writes:
     * a ready disk of the pool when {@code sandboxDir} does not exist yet (it becomes that directory),
     * else a new image formatted and mounted in it.
     */
    public SandboxDisk attach(Path sandboxDir, int sizeMb) throws IOException {
        if (enabled) {
            if (sizeMb == defaultMb && takeFromPool(sandboxDir)) {
                refillAsync();
                return disk(sandboxDir);
            }
            Files.createDirectories(sandboxDir);
            format(sandboxDir.resolve(IMAGE), sizeMb);
            refillAsync();
        }
        return mount(sandboxDir);
    }

    /**
     * A copy of another sandbox's disk (a fork of it, paused): its /workspace and root overlay as they
     * are now. With a ready disk of the pool (the source's size is the default), the source's files are
     * copied into it through the source's mounted file system ({@code cp -a}, holes kept), and not at
     * all when there are none; that copies what the sandbox wrote, never stale blocks, and needs no
     * flush. Otherwise the image is copied sparse (as a reflink where the file system can), after its
     * mounted file system's dirty pages were flushed to it.
     */
    public SandboxDisk attachCopy(Path sandboxDir, Path sourceDir, int sizeMb) throws IOException {
        if (enabled && sizeMb == defaultMb && takeFromPool(sandboxDir)) {
            refillAsync();
            Path from = sourceDir.resolve(DISK);
            if (!isEmpty(from.resolve("workspace")) || !isEmpty(from.resolve("root"))) {
                run("cp", "-a", "--sparse=always", from + "/.", sandboxDir.resolve(DISK) + "/");
            }
            return disk(sandboxDir);
        }
        if (enabled) {
            Files.createDirectories(sandboxDir);
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

    private static boolean isEmpty(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return true;
        }
        try (var entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }

    /** The disk already mounted in {@code sandboxDir}. */
    private static SandboxDisk disk(Path sandboxDir) {
        return new SandboxDisk(sandboxDir.resolve("workspace"), rootOverlay(sandboxDir));
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

    /**
     * Renames a ready disk of the default size to {@code sandboxDir}, mounts and all; false when the pool
     * is empty or the directory exists already (then the caller formats one in it).
     */
    private boolean takeFromPool(Path sandboxDir) throws IOException {
        if (poolSize == 0 || !Files.isDirectory(pool) || Files.exists(sandboxDir)) {
            return false;
        }
        Files.createDirectories(sandboxDir.getParent());
        for (Path candidate : ready()) {
            try {
                Files.move(candidate, sandboxDir, StandardCopyOption.ATOMIC_MOVE);
                return true;
            } catch (NoSuchFileException takenByAnotherCreate) {
                // next one
            } catch (FileAlreadyExistsException sameIdRacing) {
                return false;
            }
        }
        return false;
    }

    /** The pool's ready disks (a disk being made is {@code <uuid>.making} until it is mounted). */
    private List<Path> ready() throws IOException {
        try (var entries = Files.list(pool)) {
            return entries.filter(e -> !e.getFileName().toString().endsWith(".making"))
                    .toList();
        }
    }

    /** Tops the pool up in the background, one refill at a time. */
    private void refillAsync() {
        if (poolSize == 0 || !refilling.compareAndSet(false, true)) {
            return;
        }
        // After a pause: mkfs and the loop mount would take CPU from the sandbox that was just given a disk
        // while its runsc starts or restores (a fork's restore took twice as long beside them).
        CompletableFuture.runAsync(
                this::refill,
                CompletableFuture.delayedExecutor(
                        REFILL_AFTER_MS,
                        TimeUnit.MILLISECONDS,
                        task -> Thread.ofVirtual().name("workspace-pool").start(task)));
    }

    private void refill() {
        try {
            Files.createDirectories(pool);
            while (ready().size() < poolSize) {
                // made under a temporary name, so a create never takes a half-made disk
                Path making = Files.createDirectories(pool.resolve(UUID.randomUUID() + ".making"));
                try {
                    format(making.resolve(IMAGE), defaultMb);
                    mount(making);
                    Files.move(making, pool.resolve(UUID.randomUUID().toString()), StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException | RuntimeException e) {
                    detach(making);
                    FileSystemUtils.deleteRecursively(making);
                    throw e;
                }
            }
        } catch (IOException | RuntimeException e) {
            log.warn("could not fill the workspace disk pool: {}", e.getMessage());
        } finally {
            refilling.set(false);
        }
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
