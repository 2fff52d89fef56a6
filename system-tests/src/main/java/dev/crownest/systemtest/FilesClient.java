package dev.crownest.systemtest;

import dev.crownest.sdk.CrowNest;
import dev.crownest.sdk.RawHttp;
import dev.crownest.sdk.RawResponse;
import dev.crownest.sdk.RawStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * File contents through the public API as raw bytes, on the SDK's raw hatch: the files routes with the
 * client's API key, signed URLs without one. Large bodies go from a file and come back through a digest,
 * so the caller never holds them either. (The typed {@code sandbox.files()} calls are the SDK's own; these
 * are for the tests and benches that look at the raw answers.)
 */
public final class FilesClient {

    /** A streamed download: status, byte count and SHA-256 of what came, or the error body. */
    public record Download(int status, long bytes, String sha256, String error) {}

    private final CrowNest api;

    private FilesClient(CrowNest api) {
        this.api = api;
    }

    public static FilesClient of(CrowNest api) {
        return new FilesClient(api);
    }

    /** {@code /v1/sandboxes/{id}/files?path=} (or another files route by {@code suffix}), the path encoded. */
    public static String route(String sandboxId, String suffix, String query) {
        return "/v1/sandboxes/" + sandboxId + "/files" + suffix + (query == null ? "" : "?" + query);
    }

    public static String param(String name, String value) {
        return name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    public RawResponse put(String sandboxId, String path, byte[] content) {
        return http(true).send("PUT", route(sandboxId, "", param("path", path)), content);
    }

    /**
     * Any method on a URL (absolute, or a path of the gateway), with or without the API key, a raw body
     * ({@code byte[]}, a file's {@link Path}, text) or none, and header name/value pairs.
     */
    public RawResponse send(String method, String url, boolean withKey, Object body, String... headers) {
        Map<String, String> named = new LinkedHashMap<>();
        for (int i = 0; i + 1 < headers.length; i += 2) {
            named.put(headers[i], headers[i + 1]);
        }
        return http(withKey).send(method, url, body, named);
    }

    /** A multipart/form-data body with a text field {@code note} first, then {@code content} in the part {@code partName}. */
    public RawResponse multipart(
            String method, String url, boolean withKey, String partName, String fileName, byte[] content) {
        String boundary = "cnBoundary" + System.nanoTime();
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nignored\r\n"
                        + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + partName + "\"; filename=\""
                        + fileName
                        + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[head.length + content.length + tail.length];
        System.arraycopy(head, 0, body, 0, head.length);
        System.arraycopy(content, 0, body, head.length, content.length);
        System.arraycopy(tail, 0, body, head.length + content.length, tail.length);
        return send(method, url, withKey, body, "content-type", "multipart/form-data; boundary=" + boundary);
    }

    /** Streams {@code file} as the body of {@code method url}. */
    public RawResponse upload(String method, String url, boolean withKey, Path file) {
        return send(method, url, withKey, file, "content-type", "application/octet-stream");
    }

    /** GETs {@code url} and digests the body as it arrives. */
    public Download download(String url, boolean withKey) {
        try (RawStream res = http(withKey).open("GET", url, null, Map.of());
                InputStream in = res.body()) {
            if (res.status() != 200) {
                return new Download(res.status(), 0, null, new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            MessageDigest sha = sha256Digest();
            byte[] buffer = new byte[256 * 1024];
            long total = 0;
            for (int n; (n = in.read(buffer)) > 0; ) {
                sha.update(buffer, 0, n);
                total += n;
            }
            return new Download(200, total, HexFormat.of().formatHex(sha.digest()), null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The whole body of a GET, for small files. */
    public byte[] bytes(String url, boolean withKey) {
        RawResponse res = http(withKey).send("GET", url);
        if (res.status() != 200) {
            throw new IllegalStateException("GET " + url + " answered " + res.status() + ": " + res.text());
        }
        return res.bytes();
    }

    /** Writes {@code size} random bytes (seeded by the size) to {@code file}; answers their SHA-256. */
    public static String randomFile(Path file, long size) throws IOException {
        MessageDigest sha = sha256Digest();
        Random random = new Random(size);
        byte[] block = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long left = size; left > 0; left -= block.length) {
                random.nextBytes(block);
                int n = (int) Math.min(block.length, left);
                out.write(block, 0, n);
                sha.update(block, 0, n);
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    public static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(sha256Digest().digest(bytes));
    }

    private static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private RawHttp http(boolean withKey) {
        return withKey ? api.http() : api.http().anonymous();
    }
}
