package dev.crownest.sandbox.artifact;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * Where artifact contents live, by key, shaped like an S3-compatible object store: keys are
 * {@code /}-separated segments ({@code tenant/sandbox/artifactId}), an object is written whole or not
 * at all, and its size and SHA-256 are computed while it streams in. The index (names, owners) is
 * not the store's business: that is {@code artifact_view} in PostgreSQL.
 */
public interface ArtifactStore {

    /** What a put stored. */
    record StoredObject(String key, long size, String sha256) {}

    /** The content was longer than the put allowed; nothing was stored. */
    final class TooLarge extends IOException {
        public TooLarge(long maxBytes) {
            super("larger than " + maxBytes + " bytes");
        }
    }

    /**
     * Streams {@code content} to {@code key} (replacing an object of that key), reading at most
     * {@code maxBytes}: one byte more fails with {@link TooLarge} and stores nothing.
     */
    StoredObject put(String key, InputStream content, long maxBytes) throws IOException;

    /** The object's content, to be closed by the caller; empty when there is none. */
    Optional<InputStream> get(String key) throws IOException;

    /** Removes the object; a missing one is fine. */
    void delete(String key) throws IOException;
}
