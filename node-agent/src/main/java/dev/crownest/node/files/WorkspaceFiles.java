package dev.crownest.node.files;

import dev.crownest.contracts.api.ApiException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileSystemException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Service;

/**
 * Files of a sandbox's /workspace, read and written by this agent on the host. The workspace is a
 * host directory the sandbox writes into, so anything in it may be hostile: every name is opened
 * relative to its parent's open directory ({@code openat}) with {@code O_NOFOLLOW}, through
 * {@link SecureDirectoryStream}. A symlink anywhere on the way is refused as
 * {@code path_outside_workspace}; one swapped in between a check and the open fails the open the same
 * way. Nothing here follows a path string from the host's root, so no symlink the sandbox planted can
 * make the agent read or write a host file. The walk and directory creation are {@link WorkspaceDirs}'s;
 * what a failure means to the caller is {@link FileErrors}'s.
 */
@Service
public class WorkspaceFiles {
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
    private static final String UPLOAD_PREFIX = ".crownest-upload-";

    private final WorkspaceDirs dirs;

    WorkspaceFiles(WorkspaceDirs dirs) {
        this.dirs = dirs;
    }

    /** A regular file opened for reading; the caller streams and closes it. */
    public record OpenFile(SeekableByteChannel channel, long size) {}

    public OpenFile open(String sandboxId, String rawPath) {
        WorkspacePath path = WorkspacePath.parse(rawPath);
        if (path.isRoot()) {
            throw FileErrors.isDirectory(path);
        }
        try (SecureDirectoryStream<Path> dir = dirs.openDir(sandboxId, path.parent())) {
            BasicFileAttributes attrs = WorkspaceDirs.attributes(dir, path.name(), path);
            if (attrs.isSymbolicLink()) {
                throw WorkspacePath.outside(path.toString());
            }
            if (attrs.isDirectory()) {
                throw FileErrors.isDirectory(path);
            }
            if (!attrs.isRegularFile()) {
                throw ApiException.badRequest("not_a_file", path + " is not a regular file");
            }
            SeekableByteChannel channel =
                    dir.newByteChannel(Path.of(path.name()), Set.of(StandardOpenOption.READ, NOFOLLOW));
            return new OpenFile(channel, channel.size());
        } catch (IOException e) {
            throw FileErrors.translate(e, path);
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
            throw FileErrors.isDirectory(path);
        }
        if (!dirs.exists(sandboxId, path.parent())) {
            dirs.mkdirs(sandboxId, path.parent());
        }
        try (SecureDirectoryStream<Path> dir = dirs.openDir(sandboxId, path.parent())) {
            BasicFileAttributes existing = WorkspaceDirs.attributesOrNull(dir, path.name());
            if (existing != null && existing.isSymbolicLink()) {
                throw WorkspacePath.outside(path.toString());
            }
            if (existing != null && existing.isDirectory()) {
                throw FileErrors.isDirectory(path);
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
            throw FileErrors.translate(e, path);
        }
    }

    /** Deletes a file, a symlink (the link, never its target) or a directory with all it holds. */
    public void delete(String sandboxId, String rawPath) {
        WorkspacePath path = WorkspacePath.parse(rawPath);
        if (path.isRoot()) {
            throw ApiException.badRequest("invalid_path", "/workspace itself cannot be deleted");
        }
        try (SecureDirectoryStream<Path> dir = dirs.openDir(sandboxId, path.parent())) {
            BasicFileAttributes attrs = WorkspaceDirs.attributes(dir, path.name(), path);
            if (attrs.isDirectory()) {
                WorkspaceDirs.deleteTree(dir, path.name());
            } else {
                dir.deleteFile(Path.of(path.name()));
            }
        } catch (IOException e) {
            throw FileErrors.translate(e, path);
        }
    }

    public List<FileEntry> list(String sandboxId, String rawPath) {
        WorkspacePath path = WorkspacePath.parse(rawPath == null ? "" : rawPath);
        List<FileEntry> entries = new ArrayList<>();
        try (SecureDirectoryStream<Path> dir = dirs.openDir(sandboxId, path)) {
            for (Path entry : dir) {
                String name = entry.getFileName().toString();
                if (name.startsWith(UPLOAD_PREFIX)) {
                    continue;
                }
                BasicFileAttributes attrs = WorkspaceDirs.attributesOrNull(dir, name);
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
            throw FileErrors.translate(e, path);
        }
        entries.sort(Comparator.comparing(FileEntry::name));
        return entries;
    }

    /** Creates the directory and its missing parents; an existing directory is fine. */
    public void mkdir(String sandboxId, String rawPath) {
        WorkspacePath path = WorkspacePath.parse(rawPath);
        if (!dirs.exists(sandboxId, path)) {
            dirs.mkdirs(sandboxId, path);
        }
    }

    /** Renames within /workspace; the target must not exist. */
    public void move(String sandboxId, String rawFrom, String rawTo) {
        WorkspacePath from = WorkspacePath.parse(rawFrom);
        WorkspacePath to = WorkspacePath.parse(rawTo);
        if (from.isRoot() || to.isRoot()) {
            throw ApiException.badRequest("invalid_path", "/workspace itself cannot be moved or replaced");
        }
        try (SecureDirectoryStream<Path> fromDir = dirs.openDir(sandboxId, from.parent());
                SecureDirectoryStream<Path> toDir = dirs.openDir(sandboxId, to.parent())) {
            WorkspaceDirs.attributes(fromDir, from.name(), from);
            if (WorkspaceDirs.attributesOrNull(toDir, to.name()) != null) {
                throw ApiException.conflict("file_exists", to + " exists already");
            }
            fromDir.move(Path.of(from.name()), toDir, Path.of(to.name()));
        } catch (FileSystemException e) {
            if (e.getReason() != null && e.getReason().contains("Invalid argument")) {
                throw ApiException.badRequest("invalid_move", "cannot move " + from + " into itself");
            }
            throw FileErrors.translate(e, from);
        } catch (IOException e) {
            throw FileErrors.translate(e, from);
        }
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
}
