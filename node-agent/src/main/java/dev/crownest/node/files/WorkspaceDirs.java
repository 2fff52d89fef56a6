package dev.crownest.node.files;

import dev.crownest.contracts.api.ApiException;
import dev.crownest.node.runtime.SandboxRuntime;
import dev.crownest.node.sandbox.LocalSandbox;
import dev.crownest.node.sandbox.NodeSandboxes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * The directories of a sandbox's /workspace as this agent on the host reaches them: from the
 * workspace's root, each name opened relative to its parent's open directory ({@code openat}) with
 * {@code O_NOFOLLOW}, so a symlink the sandbox planted is refused, never followed. Directories are
 * created inside the sandbox ({@code mkdir -p} through the runtime's exec), since Java has no
 * {@code mkdirat}. Only a running sandbox's workspace is reached: a paused one's lives in its checkpoint.
 */
@Component
class WorkspaceDirs {
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    private final NodeSandboxes sandboxes;
    private final SandboxRuntime runtime;

    WorkspaceDirs(NodeSandboxes sandboxes, SandboxRuntime runtime) {
        this.sandboxes = sandboxes;
        this.runtime = runtime;
    }

    /** The directory at {@code path}, each name on the way opened with O_NOFOLLOW relative to the last. */
    SecureDirectoryStream<Path> openDir(String sandboxId, WorkspacePath path) throws IOException {
        live(sandboxId);
        Path workspace = sandboxes.workspace(sandboxId);
        DirectoryStream<Path> root = Files.newDirectoryStream(workspace);
        if (!(root instanceof SecureDirectoryStream<Path> dir)) {
            root.close();
            throw new IllegalStateException("this platform cannot open directories relative to each other (openat)");
        }
        List<String> names = path.names();
        for (int i = 0; i < names.size(); i++) {
            WorkspacePath walked = new WorkspacePath(names.subList(0, i + 1));
            try {
                BasicFileAttributes attrs = attributes(dir, names.get(i), walked);
                if (attrs.isSymbolicLink()) {
                    throw WorkspacePath.outside(walked.toString());
                }
                if (!attrs.isDirectory()) {
                    throw ApiException.badRequest("not_a_directory", walked + " is not a directory");
                }
                SecureDirectoryStream<Path> next = dir.newDirectoryStream(Path.of(names.get(i)), NOFOLLOW);
                dir.close();
                dir = next;
            } catch (IOException | RuntimeException e) {
                dir.close();
                throw e;
            }
        }
        return dir;
    }

    /** True when the path is an existing directory reached without symlinks; false when missing. */
    boolean exists(String sandboxId, WorkspacePath path) {
        try (SecureDirectoryStream<Path> ignored = openDir(sandboxId, path)) {
            return true;
        } catch (ApiException e) {
            if (e.status() == HttpStatus.NOT_FOUND.value() && "file_not_found".equals(e.code())) {
                return false;
            }
            throw e;
        } catch (IOException e) {
            throw FileErrors.translate(e, path);
        }
    }

    /**
     * Creates directories inside the sandbox, so a symlink swapped in at the last moment can only
     * point into the sandbox's own file system, never the host's.
     */
    void mkdirs(String sandboxId, WorkspacePath path) {
        try {
            Process p = runtime.exec(
                    live(sandboxId).containerId(), "/", Map.of(), "mkdir -p -- " + shellQuote(path.toString()));
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                    + new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("mkdir timed out");
            }
            if (p.exitValue() != 0) {
                if (out.contains("No space left")) {
                    throw FileErrors.workspaceFull();
                }
                throw ApiException.conflict("not_a_directory", "cannot create " + path + ": " + out.strip());
            }
        } catch (IOException e) {
            throw FileErrors.translate(e, path);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
        // What the sandbox made must be reachable without symlinks, as any other path here.
        if (!exists(sandboxId, path)) {
            throw ApiException.conflict("not_a_directory", "cannot create " + path);
        }
    }

    /**
     * The sandbox, if it runs here and is not paused: a paused sandbox's file system is in its
     * checkpoint, and changing /workspace under it would not be what it wakes up to.
     */
    private LocalSandbox live(String sandboxId) {
        LocalSandbox sandbox = sandboxes
                .find(sandboxId)
                .orElseThrow(
                        () -> ApiException.notFound("sandbox_not_found", "no sandbox " + sandboxId + " on this node"));
        if (sandbox.paused()) {
            throw ApiException.conflict("sandbox_paused", "sandbox " + sandboxId + " is paused; resume it first");
        }
        return sandbox;
    }

    static BasicFileAttributes attributes(SecureDirectoryStream<Path> dir, String name, WorkspacePath shown)
            throws IOException {
        try {
            return dir.getFileAttributeView(Path.of(name), BasicFileAttributeView.class, NOFOLLOW)
                    .readAttributes();
        } catch (NoSuchFileException e) {
            throw ApiException.notFound("file_not_found", shown + " does not exist");
        }
    }

    static BasicFileAttributes attributesOrNull(SecureDirectoryStream<Path> dir, String name) throws IOException {
        try {
            return dir.getFileAttributeView(Path.of(name), BasicFileAttributeView.class, NOFOLLOW)
                    .readAttributes();
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    static void deleteTree(SecureDirectoryStream<Path> parent, String name) throws IOException {
        try (SecureDirectoryStream<Path> dir = parent.newDirectoryStream(Path.of(name), NOFOLLOW)) {
            for (Path entry : dir) {
                String child = entry.getFileName().toString();
                BasicFileAttributes attrs = attributesOrNull(dir, child);
                if (attrs == null) {
                    continue;
                }
                if (attrs.isDirectory()) {
                    deleteTree(dir, child);
                } else {
                    dir.deleteFile(Path.of(child));
                }
            }
        }
        parent.deleteDirectory(Path.of(name));
    }

    private static String shellQuote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
