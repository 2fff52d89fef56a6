package dev.crownest.node.files;

import dev.crownest.contracts.api.ApiException;
import dev.crownest.node.runtime.SandboxRuntime;
import dev.crownest.node.sandbox.LocalSandbox;
import dev.crownest.node.sandbox.NodeSandboxes;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * Files of a sandbox's /workspace, read and written by this agent on the host. The workspace is a
 * host directory the sandbox writes into, so anything in it may be hostile: every name is opened
 * relative to its parent's open directory ({@code openat}) with {@code O_NOFOLLOW}, through
 * {@link SecureDirectoryStream}. A symlink anywhere on the way is refused as
 * {@code path_outside_workspace}; one swapped in between a check and the open fails the open the same
 * way. Nothing here follows a path string from the host's root, so no symlink the sandbox planted can
 * make the agent read or write a host file. Directories are created inside the sandbox
 * ({@code mkdir -p} through runsc exec), since Java has no {@code mkdirat}.
 */
@Service
public class WorkspaceFiles {
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
    private static final String UPLOAD_PREFIX = ".crownest-upload-";

    private final NodeSandboxes sandboxes;
    private final SandboxRuntime runtime;

    public WorkspaceFiles(NodeSandboxes sandboxes, SandboxRuntime runtime) {
        this.sandboxes = sandboxes;
        this.runtime = runtime;
    }

    /** A regular file opened for reading; the caller streams and closes it. */
    public record OpenFile(SeekableByteChannel channel, long size) {}

    public OpenFile open(String sandboxId, String rawPath) {
        WorkspacePath path = WorkspacePath.parse(rawPath);
        if (path.isRoot()) {
            throw isDirectory(path);
        }
        try (SecureDirectoryStream<Path> dir = openDir(sandboxId, path.parent())) {
            BasicFileAttributes attrs = attributes(dir, path.name(), path);
            if (attrs.isSymbolicLink()) {
                throw WorkspacePath.outside(path.toString());
            }
            if (attrs.isDirectory()) {
                throw isDirectory(path);
            }
            if (!attrs.isRegularFile()) {
                throw ApiException.badRequest("not_a_file", path + " is not a regular file");
            }
            SeekableByteChannel channel =
                    dir.newByteChannel(Path.of(path.name()), Set.of(StandardOpenOption.READ, NOFOLLOW));
            return new OpenFile(channel, channel.size());
        } catch (IOException e) {
            throw translate(e, path);
        }
    }

    /**
     * Streams {@code body} into the file (created or replaced whole): written to a temporary name in
     * the same directory and renamed over the target at the end, so a reader never sees half a file
     * and a failed upload leaves the old one. Missing parent directories are created.
     *
     * @return bytes written
     */
    public long write(String sandboxId, String rawPath, InputStream body) {
        WorkspacePath path = WorkspacePath.parse(rawPath);
        if (path.isRoot()) {
            throw isDirectory(path);
        }
        if (!exists(sandboxId, path.parent())) {
            mkdirs(sandboxId, path.parent());
        }
        try (SecureDirectoryStream<Path> dir = openDir(sandboxId, path.parent())) {
            BasicFileAttributes existing = attributesOrNull(dir, path.name());
            if (existing != null && existing.isSymbolicLink()) {
                throw WorkspacePath.outside(path.toString());
            }
            if (existing != null && existing.isDirectory()) {
                throw isDirectory(path);
            }
            Path upload = Path.of(UPLOAD_PREFIX + UUID.randomUUID());
            long written = 0;
            try (SeekableByteChannel out = dir.newByteChannel(
                    upload, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, NOFOLLOW))) {
                byte[] buffer = new byte[64 * 1024];
                for (int n; (n = body.read(buffer)) > 0; ) {
                    ByteBuffer bytes = ByteBuffer.wrap(buffer, 0, n);
                    while (bytes.hasRemaining()) {
                        out.write(bytes);
                    }
                    written += n;
                }
            } catch (IOException e) {
                deleteQuietly(dir, upload);
                if (String.valueOf(e.getMessage()).contains("No space left")) {
                    drain(body);
                }
                throw e;
            }
            dir.move(upload, dir, Path.of(path.name()));
            return written;
        } catch (IOException e) {
            throw translate(e, path);
        }
    }

    /** Deletes a file, a symlink (the link, never its target) or a directory with all it holds. */
    public void delete(String sandboxId, String rawPath) {
        WorkspacePath path = WorkspacePath.parse(rawPath);
        if (path.isRoot()) {
            throw ApiException.badRequest("invalid_path", "/workspace itself cannot be deleted");
        }
        try (SecureDirectoryStream<Path> dir = openDir(sandboxId, path.parent())) {
            BasicFileAttributes attrs = attributes(dir, path.name(), path);
            if (attrs.isDirectory()) {
                deleteTree(dir, path.name());
            } else {
                dir.deleteFile(Path.of(path.name()));
            }
        } catch (IOException e) {
            throw translate(e, path);
        }
    }

    public List<FileEntry> list(String sandboxId, String rawPath) {
        WorkspacePath path = WorkspacePath.parse(rawPath == null ? "" : rawPath);
        List<FileEntry> entries = new ArrayList<>();
        try (SecureDirectoryStream<Path> dir = openDir(sandboxId, path)) {
            for (Path entry : dir) {
                String name = entry.getFileName().toString();
                if (name.startsWith(UPLOAD_PREFIX)) {
                    continue;
                }
                BasicFileAttributes attrs = attributesOrNull(dir, name);
                if (attrs == null) {
                    continue; // deleted while we listed
                }
                String type = attrs.isSymbolicLink()
                        ? "symlink"
                        : attrs.isDirectory() ? "directory" : attrs.isRegularFile() ? "file" : "other";
                String shown = path.isRoot() ? "/workspace/" + name : path + "/" + name;
                entries.add(new FileEntry(
                        name,
                        shown,
                        type,
                        attrs.isRegularFile() ? attrs.size() : 0,
                        attrs.lastModifiedTime().toInstant()));
            }
        } catch (IOException e) {
            throw translate(e, path);
        }
        entries.sort(Comparator.comparing(FileEntry::name));
        return entries;
    }

    /** Creates the directory and its missing parents; an existing directory is fine. */
    public void mkdir(String sandboxId, String rawPath) {
        WorkspacePath path = WorkspacePath.parse(rawPath);
        if (!exists(sandboxId, path)) {
            mkdirs(sandboxId, path);
        }
    }

    /** Renames within /workspace; the target must not exist. */
    public void move(String sandboxId, String rawFrom, String rawTo) {
        WorkspacePath from = WorkspacePath.parse(rawFrom);
        WorkspacePath to = WorkspacePath.parse(rawTo);
        if (from.isRoot() || to.isRoot()) {
            throw ApiException.badRequest("invalid_path", "/workspace itself cannot be moved or replaced");
        }
        try (SecureDirectoryStream<Path> fromDir = openDir(sandboxId, from.parent());
                SecureDirectoryStream<Path> toDir = openDir(sandboxId, to.parent())) {
            attributes(fromDir, from.name(), from);
            if (attributesOrNull(toDir, to.name()) != null) {
                throw ApiException.conflict("file_exists", to + " exists already");
            }
            fromDir.move(Path.of(from.name()), toDir, Path.of(to.name()));
        } catch (FileSystemException e) {
            if (e.getReason() != null && e.getReason().contains("Invalid argument")) {
                throw ApiException.badRequest("invalid_move", "cannot move " + from + " into itself");
            }
            throw translate(e, from);
        } catch (IOException e) {
            throw translate(e, from);
        }
    }

    /** True when the path is an existing directory reached without symlinks; false when missing. */
    private boolean exists(String sandboxId, WorkspacePath path) {
        try (SecureDirectoryStream<Path> ignored = openDir(sandboxId, path)) {
            return true;
        } catch (ApiException e) {
            if (e.status() == HttpStatus.NOT_FOUND.value() && "file_not_found".equals(e.code())) {
                return false;
            }
            throw e;
        } catch (IOException e) {
            throw translate(e, path);
        }
    }

    /**
     * Creates directories inside the sandbox, so a symlink swapped in at the last moment can only
     * point into the sandbox's own file system, never the host's.
     */
    private void mkdirs(String sandboxId, WorkspacePath path) {
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
                    throw workspaceFull();
                }
                throw ApiException.conflict("not_a_directory", "cannot create " + path + ": " + out.strip());
            }
        } catch (IOException e) {
            throw translate(e, path);
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

    /** The directory at {@code path}, each name on the way opened with O_NOFOLLOW relative to the last. */
    private SecureDirectoryStream<Path> openDir(String sandboxId, WorkspacePath path) throws IOException {
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

    private static BasicFileAttributes attributes(SecureDirectoryStream<Path> dir, String name, WorkspacePath shown)
            throws IOException {
        try {
            return dir.getFileAttributeView(Path.of(name), BasicFileAttributeView.class, NOFOLLOW)
                    .readAttributes();
        } catch (NoSuchFileException e) {
            throw ApiException.notFound("file_not_found", shown + " does not exist");
        }
    }

    private static BasicFileAttributes attributesOrNull(SecureDirectoryStream<Path> dir, String name)
            throws IOException {
        try {
            return dir.getFileAttributeView(Path.of(name), BasicFileAttributeView.class, NOFOLLOW)
                    .readAttributes();
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static void deleteTree(SecureDirectoryStream<Path> parent, String name) throws IOException {
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

    /**
     * Reads and drops the rest of a refused upload (up to a bound), so the error answer reaches a
     * client that is still sending instead of a connection reset under it.
     */
    private static void drain(InputStream body) {
        byte[] buffer = new byte[64 * 1024];
        long left = 256L * 1024 * 1024;
        try {
            for (int n; left > 0 && (n = body.read(buffer)) > 0; ) {
                left -= n;
            }
        } catch (IOException ignored) {
            // the client gave up
        }
    }

    private static void deleteQuietly(SecureDirectoryStream<Path> dir, Path name) {
        try {
            dir.deleteFile(name);
        } catch (IOException ignored) {
            // nothing was created, or it is gone already
        }
    }

    /** Copies an open file to the response. */
    public static void copy(OpenFile file, OutputStream out) throws IOException {
        try (SeekableByteChannel in = file.channel()) {
            Channels.newInputStream(in).transferTo(out);
        }
    }

    private static RuntimeException translate(IOException e, WorkspacePath path) {
        if (e instanceof NoSuchFileException) {
            return ApiException.notFound("file_not_found", path + " does not exist");
        }
        String reason = e instanceof FileSystemException fse && fse.getReason() != null
                ? fse.getReason()
                : String.valueOf(e.getMessage());
        if (reason.contains("Too many levels of symbolic links")) {
            // O_NOFOLLOW met a symlink swapped in after the check
            return WorkspacePath.outside(path.toString());
        }
        if (reason.contains("No space left on device") || reason.contains("Disk quota exceeded")) {
            return workspaceFull();
        }
        if (reason.contains("Not a directory")) {
            return ApiException.badRequest("not_a_directory", "a part of " + path + " is not a directory");
        }
        if (reason.contains("Directory not empty")) {
            return ApiException.conflict("directory_not_empty", path + " is not empty");
        }
        return new ApiException(
                HttpStatus.INTERNAL_SERVER_ERROR.value(),
                "node",
                "file_io_failed",
                "cannot access " + path + ": " + reason);
    }

    private static ApiException workspaceFull() {
        return new ApiException(
                HttpStatus.INSUFFICIENT_STORAGE.value(),
                "insufficient_storage",
                "workspace_full",
                "/workspace is full (the sandbox's disk size is reached)");
    }

    private static ApiException isDirectory(WorkspacePath path) {
        return ApiException.badRequest("is_a_directory", path + " is a directory");
    }

    private static String shellQuote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
