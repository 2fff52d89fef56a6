package dev.crownest.node.template;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A custom template's layer: the build sandbox's root is a kernel overlayfs over its parent's tree,
 * so every change the steps make lands in the overlay's upper directory (new and changed files whole,
 * deletions as whiteouts, replaced directories marked opaque). The new tree is the parent's tree
 * hard-linked (template trees are never written, so sharing their files is safe) with the upper
 * directory applied over it, then packed as the EROFS image sandboxes are served from, as
 * build-template.sh does. Mounted with {@code userxattr}: the opaque marks are then {@code user.}
 * attributes, which Java reads; that mode also turns off redirects and metacopy, so the upper
 * directory holds every changed file whole.
 */
final class TemplateLayers {
    private static final int S_IFMT = 0170000;
    private static final int S_IFCHR = 0020000;
    private static final String OPAQUE = "overlay.opaque";

    private TemplateLayers() {}

    static void mount(Path lower, Path upper, Path work, Path merged) {
        run(List.of(
                "mount",
                "-t",
                "overlay",
                "overlay",
                "-o",
                "lowerdir=" + lower + ",upperdir=" + upper + ",workdir=" + work + ",userxattr",
                merged.toString()));
    }

    /** Quiet when not mounted: the goal is that it is not. */
    static void unmount(Path merged) {
        try {
            run(List.of("umount", merged.toString()));
        } catch (IllegalStateException notMounted) {
            // nothing mounted there
        }
    }

    /** {@code target} (absent) becomes {@code base} with the overlay's {@code upper} directory applied. */
    static void apply(Path upper, Path base, Path target) throws IOException {
        run(List.of("cp", "-al", base.toString(), target.toString()));
        Files.walkFileTree(upper, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Path there = target.resolve(upper.relativize(dir).toString());
                // an opaque directory hides the base's, and a directory may replace a file or a link
                boolean replaced = Files.exists(there, LinkOption.NOFOLLOW_LINKS)
                        && !Files.isDirectory(there, LinkOption.NOFOLLOW_LINKS);
                if (!dir.equals(upper) && (opaque(dir) || replaced)) {
                    deleteTree(there);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Path there = target.resolve(upper.relativize(file).toString());
                if (whiteout(file)) {
                    deleteTree(there);
                    Files.delete(file); // cp below must not copy the mark itself
                } else if (Files.isDirectory(there, LinkOption.NOFOLLOW_LINKS)) {
                    deleteTree(there);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        // Replaces rather than writes into the (hard-linked) files of the base; the overlay's own
        // attributes stay behind (they would show in the image).
        run(List.of("cp", "-a", "--remove-destination", "--no-preserve=xattr", upper + "/.", target + "/"));
    }

    /** The EROFS image of {@code tree}, without inline data (gVisor's reader fails on it: "bad address"). */
    static void image(Path tree, Path image) {
        run(List.of("mkfs.erofs", "-E", "noinline_data", image.toString(), tree.toString()));
    }

    /** Removes a file, link or directory tree; never follows links. */
    static void deleteTree(Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(path, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** overlayfs marks a deleted name with a character device 0:0 of that name. */
    private static boolean whiteout(Path file) throws IOException {
        Map<String, Object> unix = Files.readAttributes(file, "unix:mode,rdev", LinkOption.NOFOLLOW_LINKS);
        return ((int) unix.get("mode") & S_IFMT) == S_IFCHR && ((Number) unix.get("rdev")).longValue() == 0;
    }

    private static boolean opaque(Path dir) {
        try {
            var xattrs = Files.getFileAttributeView(dir, UserDefinedFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
            if (!xattrs.list().contains(OPAQUE)) {
                return false;
            }
            var value = ByteBuffer.allocate(xattrs.size(OPAQUE));
            xattrs.read(OPAQUE, value);
            return "y".equals(new String(value.array(), StandardCharsets.UTF_8));
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    private static void run(List<String> command) {
        try {
            Process p = new ProcessBuilder(new ArrayList<>(command))
                    .redirectErrorStream(true)
                    .start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException(command.getFirst() + " timed out");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(command.getFirst() + " failed: " + out.strip());
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command.getFirst() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + command.getFirst(), e);
        }
    }
}
