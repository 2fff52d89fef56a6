package dev.crownest.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;

/**
 * An answer of {@link RawHttp}, whatever its status: status, headers and the body as bytes, text and
 * (when it is JSON) a Jackson tree.
 */
public final class RawResponse {

    private final int status;
    private final HttpHeaders headers;
    private final byte[] body;
    private JsonNode json;
    private boolean parsed;

    RawResponse(int status, HttpHeaders headers, byte[] body) {
        this.status = status;
        this.headers = headers;
        this.body = body;
    }

    public int status() {
        return status;
    }

    public HttpHeaders headers() {
        return headers;
    }

    /** The first value of header {@code name} (any case), or null. */
    public String header(String name) {
        return headers.firstValue(name).orElse(null);
    }

    /** The body as it came. */
    public byte[] bytes() {
        return body.clone();
    }

    /** The body as UTF-8 text ("" when empty). */
    public String text() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The body as JSON; null when it is empty or not JSON. */
    public synchronized JsonNode json() {
        if (!parsed) {
            parsed = true;
            try {
                json = body.length == 0 ? null : Transport.JSON.readTree(body);
            } catch (IOException notJson) {
                json = null;
            }
        }
        return json;
    }

    /** A top-level field of the JSON body as text (e.g. {@code "id"}); null when absent or not JSON. */
    public String field(String name) {
        JsonNode node = json();
        return node == null || !node.has(name) || node.get(name).isNull()
                ? null
                : node.get(name).asText();
    }

    /** The API error's code ({@code error.code} of the one error shape), or null. */
    public String errorCode() {
        JsonNode node = json();
        return node == null ? null : node.path("error").path("code").textValue();
    }

    @Override
    public String toString() {
        return status + " " + text();
    }
}
