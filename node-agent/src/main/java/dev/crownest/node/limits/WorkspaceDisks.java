package dev.crownest.node.limits;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The size limit of /workspace: each sandbox's workspace directory is the mount point of its own
 * ext4 image file ({@code workspace.img} next to it), loop-mounted on the host before runsc starts
 * the sandbox. A full workspace answers ENOSPC inside the sandbox and to the files API; the host's
 * disk is never filled by one sandbox beyond its size. The image is sparse: it takes host disk only
 * as the sandbox writes.
 */
@Component
public class WorkspaceDisks {
    private static final Logger log = LoggerFactory.getLogger(WorkspaceDisks.class);
    private static final String IMAGE = "workspace.img";

    private final boolean enabled;

    public WorkspaceDisks(LimitProperties limits) {
        this.enabled = limits.workspaceImages();
    }

    /** Makes {@code sandboxDir/workspace} a fresh, empty file system of {@code sizeMb}. */
    public Path attach(Path sandboxDir, int sizeMb) throws IOException {
        Path workspace = Files.createDirectories(sandboxDir.resolve("workspace"));
        if (!enabled) {
            return workspace;
        }
        Path image = sandboxDir.resolve(IMAGE);
        try (RandomAccessFile file = new RandomAccessFile(image.toFile(), "rw")) {
            file.setLength(sizeMb * 1024L * 1024L);
        }
        // No journal, no discard, lazy inode tables: a throwaway file system, made in tens of milliseconds.
        run("mkfs.ext4", "-q", "-F", "-m", "0", "-O", "^has_journal", "-E", "nodiscard,lazy_itable_init=1",
                image.toString());
        run("mount", "-o", "loop,nosuid,nodev,noatime", image.toString(), workspace.toString());
        Files.deleteIfExists(workspace.resolve("lost+found"));
        return workspace;
    }

    /** Unmounts and removes the image; quiet when there is nothing to do. */
    public void detach(Path sandboxDir) {
        Path workspace = sandboxDir.resolve("workspace");
        if (isMounted(workspace)) {
            try {
                run("umount", workspace.toString());
            } catch (IOException busy) {
                // Something on the host still holds it (a files request being answered): detach lazily.
                log.warn("workspace {} busy ({}); unmounting lazily", workspace, busy.getMessage());
                try {
                    run("umount", "-l", workspace.toString());
                } catch (IOException e) {
                    log.warn("could not unmount {}: {}", workspace, e.getMessage());
                }
            }
        }
        try {
            Files.deleteIfExists(sandboxDir.resolve(IMAGE));
        } catch (IOException e) {
            log.warn("could not remove {}: {}", sandboxDir.resolve(IMAGE), e.getMessage());
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
        Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
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
