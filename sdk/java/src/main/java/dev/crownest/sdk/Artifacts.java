package dev.crownest.sdk;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** {@code sandbox.artifacts()}: files collected by runs; readable after the sandbox ended. */
public final class Artifacts {

    private final Transport http;
    private final String path;

    Artifacts(Transport http, String sandboxId) {
        this.http = http;
        this.path = "/v1/sandboxes/" + Transport.seg(sandboxId) + "/artifacts";
    }

    /** The sandbox's artifacts (the first page). */
    public Page<Artifact> list() {
        return list(null, null, null);
    }

    /** A page of the sandbox's artifacts, of one command when {@code commandId} is given (nulls allowed). */
    public Page<Artifact> list(String commandId, String cursor, Integer limit) {
        return http.call("GET", path)
                .query("commandId", commandId)
                .query("cursor", cursor)
                .query("limit", limit)
                .as(new TypeReference<Page<Artifact>>() {});
    }

    /** One artifact's record. */
    public Artifact get(String artifactId) {
        return http.call("GET", path + "/" + Transport.seg(artifactId)).as(Artifact.class);
    }

    /** An artifact's bytes. */
    public byte[] download(String artifactId) {
        try (InputStream in = downloadStream(artifactId)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An artifact's content as UTF-8 text. */
    public String downloadText(String artifactId) {
        return new String(download(artifactId), StandardCharsets.UTF_8);
    }

    /** An artifact's content as a stream; the caller closes it. */
    public InputStream downloadStream(String artifactId) {
        return http.call("GET", path + "/" + Transport.seg(artifactId) + "/content")
                .send()
                .body();
    }
}
