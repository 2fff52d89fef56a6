package dev.crownest.sdk;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * The raw escape hatch ({@link CrowNest#http()}): any request to any route with this client's key (or
 * session), base URL and JSON, answered as it came. For what the typed calls do not cover yet, and for a
 * caller that must see a status, a header or an error body itself.
 *
 * <pre>{@code
 * RawResponse res = client.http().send("POST", "/v1/sandboxes", Map.of("template", "nope"), Map.of());
 * if (res.status() == 404) System.out.println(res.json().path("error").path("code").asText());
 * }</pre>
 *
 * <p>Unlike the typed calls, a raw request is sent once as given: no retry, no Idempotency-Key of its own
 * (pass one in {@code headers}), and a 4xx or 5xx is an answer, never an exception. Only a failed
 * connection throws ({@link ConnectionException}).
 *
 * <p>The body is sent by its type: null sends none; a {@link String} is sent as it is; {@code byte[]}
 * and a {@link Path} (streamed from the file) as bytes; anything else is written as JSON. A String or JSON
 * body defaults to {@code content-type: application/json}, bytes to {@code application/octet-stream};
 * a {@code content-type} in {@code headers} wins. A header in {@code headers} replaces the client's own
 * (another {@code x-api-key}, say). {@code path} is a path of the API with its query already encoded
 * ({@code /v1/sandboxes?limit=5}), or an absolute URL (a signed URL the API answered).
 */
public final class RawHttp {

    private final Transport http;
    private final boolean anonymous;

    RawHttp(Transport http, boolean anonymous) {
        this.http = http;
        this.anonymous = anonymous;
    }

    /**
     * The same hatch without the key or session token: for signed URLs, and to see what an
     * unauthenticated caller is answered.
     */
    public RawHttp anonymous() {
        return new RawHttp(http, true);
    }

    /** {@code method path} without a body. */
    public RawResponse send(String method, String path) {
        return send(method, path, null, Map.of());
    }

    /** {@code method path} with {@code body} (see the class comment for how it is sent). */
    public RawResponse send(String method, String path, Object body) {
        return send(method, path, body, Map.of());
    }

    /** {@code method path} with {@code body} and {@code headers}; the whole answer read. */
    public RawResponse send(String method, String path, Object body, Map<String, String> headers) {
        HttpResponse<InputStream> res = call(method, path, body, headers).sendOnce();
        try (InputStream in = res.body()) {
            return new RawResponse(res.statusCode(), res.headers(), in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("reading the answer of " + method + " " + path, e);
        }
    }

    /**
     * {@code method path} answered as soon as its headers came, the body left to read as it arrives: a
     * large download, or server-sent events ({@link RawStream#events}). Close it when done.
     */
    public RawStream open(String method, String path, Object body, Map<String, String> headers) {
        return new RawStream(call(method, path, body, headers).sendOnce());
    }

    private Transport.Call call(String method, String path, Object body, Map<String, String> headers) {
        Transport.Call call = http.call(method, path);
        if (anonymous) {
            call.anonymous();
        }
        if (body instanceof String text) {
            call.header("content-type", "application/json")
                    .body(HttpRequest.BodyPublishers.ofString(text, StandardCharsets.UTF_8), true);
        } else if (body instanceof byte[] bytes) {
            call.header("content-type", "application/octet-stream")
                    .body(HttpRequest.BodyPublishers.ofByteArray(bytes), true);
        } else if (body instanceof Path file) {
            call.header("content-type", "application/octet-stream").body(fromFile(file), true);
        } else if (body != null) {
            call.json(body);
        }
        headers.forEach(call::header);
        return call;
    }

    private static HttpRequest.BodyPublisher fromFile(Path file) {
        try {
            return HttpRequest.BodyPublishers.ofFile(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
