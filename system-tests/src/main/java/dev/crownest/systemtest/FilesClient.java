package dev.crownest.systemtest;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;

/**
 * File contents through the public API as raw bytes: the files routes with an API key, signed URLs
 * without one, and the node agent's own files endpoint (the benchmarks' baseline). Large bodies go
 * from a file and come back through a digest, so the client never holds them either.
 */
public final class FilesClient {

    /** A streamed download: status, byte count and SHA-256 of what came, or the error body. */
    public record Download(int status, long bytes, String sha256, String error) {}

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String apiUrl;
    private final String apiKey;

    public FilesClient(String apiUrl, String apiKey) {
        this.apiUrl = apiUrl;
        this.apiKey = apiKey;
    }

    public static FilesClient of(PlatformClient api) {
        return new FilesClient(api.apiUrl(), api.apiKey());
    }

    /** {@code /v1/sandboxes/{id}/files?path=} (or another files route by {@code suffix}), the path encoded. */
    public static String route(String sandboxId, String suffix, String query) {
        return "/v1/sandboxes/" + sandboxId + "/files" + suffix + (query == null ? "" : "?" + query);
    }

    public static String param(String name, String value) {
        return name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    public PlatformClient.Answer put(String sandboxId, String path, byte[] content) {
        return send(request(route(sandboxId, "", param("path", path)), true)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(content)));
    }

    /** Any method on a URL (absolute, or a path of the gateway), with or without the API key, a raw body or none. */
    public PlatformClient.Answer send(
            String method, String url, boolean withKey, HttpRequest.BodyPublisher body, String... headers) {
        HttpRequest.Builder b =
                request(url, withKey).method(method, body == null ? HttpRequest.BodyPublishers.noBody() : body);
        if (headers.length > 0) {
            b.headers(headers);
        }
        return send(b);
    }

    /** A multipart/form-data body with a text field {@code note} first, then {@code content} in the part {@code partName}. */
    public PlatformClient.Answer multipart(
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
        return send(
                method,
                url,
                withKey,
                HttpRequest.BodyPublishers.ofByteArray(body),
                "content-type",
                "multipart/form-data; boundary=" + boundary);
    }

    /** Streams {@code file} as the body of {@code method url}. */
    public PlatformClient.Answer upload(String method, String url, boolean withKey, Path file) {
        try {
            return send(
                    method,
                    url,
                    withKey,
                    HttpRequest.BodyPublishers.ofFile(file),
                    "content-type",
                    "application/octet-stream");
        } catch (FileNotFoundException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** GETs {@code url} and digests the body as it arrives. */
    public Download download(String url, boolean withKey) {
        try {
            HttpResponse<InputStream> res =
                    http.send(request(url, withKey).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = res.body()) {
                if (res.statusCode() != 200) {
                    return new Download(
                            res.statusCode(), 0, null, new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                byte[] buffer = new byte[256 * 1024];
                long total = 0;
                for (int n; (n = in.read(buffer)) > 0; ) {
                    sha.update(buffer, 0, n);
                    total += n;
                }
                return new Download(200, total, HexFormat.of().formatHex(sha.digest()), null);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The whole body of a GET, for small files. */
    public byte[] bytes(String url, boolean withKey) {
        try {
            HttpResponse<byte[]> res =
                    http.send(request(url, withKey).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            if (res.statusCode() != 200) {
                throw new IllegalStateException("GET " + url + " answered " + res.statusCode() + ": "
                        + new String(res.body(), StandardCharsets.UTF_8));
            }
            return res.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
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

    private HttpRequest.Builder request(String url, boolean withKey) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url.startsWith("http") ? url : apiUrl + url))
                .timeout(Duration.ofMinutes(5));
        if (withKey && apiKey != null) {
            b.header("x-api-key", apiKey);
        }
        return b;
    }

    private PlatformClient.Answer send(HttpRequest.Builder builder) {
        try {
            return PlatformClient.Answer.of(http.send(builder.build(), HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
