package dev.crownest.sdk;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code sandbox.files()}: the sandbox's /workspace. Paths are relative to it or absolute under it.
 * Writes make missing parent directories.
 */
public final class SandboxFiles {

    private final Transport http;
    private final String path;

    SandboxFiles(Transport http, String sandboxId) {
        this.http = http;
        this.path = "/v1/sandboxes/" + Transport.seg(sandboxId) + "/files";
    }

    /** Writes text as UTF-8 and answers what was written. */
    public WrittenFile write(String file, String content) {
        return write(file, content.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes bytes and answers what was written. */
    public WrittenFile write(String file, byte[] content) {
        return put(file, HttpRequest.BodyPublishers.ofByteArray(content), true);
    }

    /** Writes a local file's content, streamed. */
    public WrittenFile write(String file, Path local) {
        try {
            return put(file, HttpRequest.BodyPublishers.ofFile(local), true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes a stream's content as it is read (never buffered whole). A stream cannot be sent twice, so
     * this write is not retried. The stream is read to its end, not closed.
     */
    public WrittenFile write(String file, InputStream content) {
        return put(file, HttpRequest.BodyPublishers.ofInputStream(() -> content), false);
    }

    private WrittenFile put(String file, HttpRequest.BodyPublisher body, boolean replayable) {
        return http.call("PUT", path)
                .query("path", file)
                .header("content-type", "application/octet-stream")
                .body(body, replayable)
                .as(WrittenFile.class);
    }

    /** A file's content as UTF-8 text. */
    public String read(String file) {
        return new String(readBytes(file), StandardCharsets.UTF_8);
    }

    /** A file's content as bytes. */
    public byte[] readBytes(String file) {
        try (InputStream in = readStream(file)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A file's content as a stream, read as it comes; the caller closes it. */
    public InputStream readStream(String file) {
        return http.call("GET", path).query("path", file).send().body();
    }

    /** The entries of a directory. */
    public List<FileEntry> list(String directory) {
        return http.call("GET", path + "/list")
                .query("path", directory)
                .as(Listing.class)
                .entries();
    }

    /** The entries of /workspace. */
    public List<FileEntry> list() {
        return list(".");
    }

    /** Makes a directory and its parents. */
    public void mkdir(String directory) {
        http.call("POST", path + "/mkdir").query("path", directory).idempotent().json();
    }

    /** Moves (renames) a file or directory; 409 when the target exists. */
    public void move(String from, String to) {
        http.call("POST", path + "/move")
                .query("from", from)
                .query("to", to)
                .idempotent()
                .json();
    }

    /** Deletes a file, or a directory with everything in it. */
    public void remove(String file) {
        http.call("DELETE", path).query("path", file).idempotent().json();
    }

    /** A signed URL that writes this one file with no key (PUT its content), for the API's default time. */
    public SignedUrl uploadUrl(String file) {
        return signed("upload-url", file, null);
    }

    /** A signed URL that writes this one file with no key, valid for {@code expiresInSeconds}. */
    public SignedUrl uploadUrl(String file, int expiresInSeconds) {
        return signed("upload-url", file, expiresInSeconds);
    }

    /** A signed URL that reads this one file with no key, for the API's default time. */
    public SignedUrl downloadUrl(String file) {
        return signed("download-url", file, null);
    }

    /** A signed URL that reads this one file with no key, valid for {@code expiresInSeconds}. */
    public SignedUrl downloadUrl(String file, int expiresInSeconds) {
        return signed("download-url", file, expiresInSeconds);
    }

    private SignedUrl signed(String kind, String file, Integer expiresInSeconds) {
        Map<String, Object> body = expiresInSeconds == null
                ? Map.of("path", file)
                : Map.of("path", file, "expiresInSeconds", expiresInSeconds);
        return http.call("POST", path + "/" + kind).json(body).as(SignedUrl.class);
    }

    /** What a write answers: the file's path and size in bytes. */
    public record WrittenFile(String path, long size) {}

    private record Listing(String path, List<FileEntry> entries) {}
}
