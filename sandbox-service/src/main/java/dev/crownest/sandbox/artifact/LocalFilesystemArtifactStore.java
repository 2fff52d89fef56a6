package dev.crownest.sandbox.artifact;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * {@link ArtifactStore} in a directory of this machine: an object is the file {@code root/<key>}. A put
 * streams into {@code root/.incoming/<random>} and renames it over the target in one atomic move, so
 * a reader sees the whole object or none, a crash leaves only an incoming file (removed at the next
 * start), and concurrent puts of one key leave one of them whole. Only for one machine: services on
 * several machines need a shared object store behind the same interface (S3 and the like).
 */
public class LocalFilesystemArtifactStore implements ArtifactStore {
    /** Keys: segments of letters, digits, {@code . _ -}, never {@code .} or {@code ..}, so a key never leaves the root. */
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");

    private static final String INCOMING = ".incoming";
    private static final int BUFFER = 64 * 1024;

    private final Path root;
    private final Path incoming;

    public LocalFilesystemArtifactStore(Path root) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        this.incoming = this.root.resolve(INCOMING);
        Files.createDirectories(incoming);
        // Leftovers of puts a crash interrupted: never visible as objects, only taking space.
        try (var leftovers = Files.list(incoming)) {
            for (Path file : (Iterable<Path>) leftovers::iterator) {
                Files.deleteIfExists(file);
            }
        }
    }

    public Path root() {
        return root;
    }

    @Override
    public StoredObject put(String key, InputStream content, long maxBytes) throws IOException {
        Path target = pathOf(key);
        Path temporary = incoming.resolve(UUID.randomUUID().toString());
        MessageDigest sha256 = sha256();
        long size = 0;
        try {
            try (FileChannel channel =
                    FileChannel.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                OutputStream out = Channels.newOutputStream(channel);
                byte[] buffer = new byte[BUFFER];
                for (int n; (n = content.read(buffer)) != -1; ) {
                    size += n;
                    if (size > maxBytes) {
                        throw new TooLarge(maxBytes);
                    }
                    sha256.update(buffer, 0, n);
                    out.write(buffer, 0, n);
                }
                // Durable before it becomes visible: an object that exists is never a torn write.
                channel.force(true);
            }
            Files.createDirectories(target.getParent());
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the artifact directory must be one file system (atomic rename): " + root, e);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
        return new StoredObject(key, size, HexFormat.of().formatHex(sha256.digest()));
    }

    @Override
    public Optional<InputStream> get(String key) throws IOException {
        try {
            return Optional.of(Files.newInputStream(pathOf(key)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public void delete(String key) throws IOException {
        Files.deleteIfExists(pathOf(key));
    }

    private Path pathOf(String key) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("empty artifact key");
        }
        Path path = root;
        for (String segment : key.split("/", -1)) {
            if (!SEGMENT.matcher(segment).matches()) {
                throw new IllegalArgumentException("invalid artifact key segment: " + segment);
            }
            path = path.resolve(segment);
        }
        return path;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
