package dev.crownest.sdk;

import com.fasterxml.jackson.core.type.TypeReference;
import java.util.Map;

/** {@code sandbox.previews()}: authenticated URLs of the sandbox's ports. */
public final class Previews {

    private final Transport http;
    private final String path;

    Previews(Transport http, String sandboxId) {
        this.http = http;
        this.path = "/v1/sandboxes/" + Transport.seg(sandboxId) + "/previews";
    }

    /** Opens (or answers the open) preview of {@code port}. */
    public Preview create(int port) {
        return http.call("POST", path).json(Map.of("port", port)).idempotent().as(Preview.class);
    }

    /** The sandbox's previews. */
    public Page<Preview> list() {
        return http.call("GET", path).as(new TypeReference<Page<Preview>>() {});
    }

    /** One preview (its {@code status} is {@code closed} once closed). */
    public Preview get(String previewId) {
        return http.call("GET", path + "/" + Transport.seg(previewId)).as(Preview.class);
    }

    /** Closes a preview; its URL answers no more. */
    public Preview close(String previewId) {
        return http.call("DELETE", path + "/" + Transport.seg(previewId))
                .idempotent()
                .as(Preview.class);
    }

    /** A single-use browser token for a preview. */
    public PreviewToken token(String previewId) {
        return http.call("POST", path + "/" + Transport.seg(previewId) + "/tokens")
                .as(PreviewToken.class);
    }
}
