package dev.crownest.sdk;

import com.fasterxml.jackson.core.type.TypeReference;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code client.sandboxes()}: create, find, resume and fork sandboxes. */
public final class Sandboxes {

    private final Transport http;

    Sandboxes(Transport http) {
        this.http = http;
    }

    /** A sandbox of the template {@code base} with the API's defaults, once it runs. */
    public Sandbox create() {
        return create(new CreateSandboxOptions());
    }

    /** Creates a sandbox and answers it once it runs (a create answered 202 {@code starting} is waited for). */
    public Sandbox create(CreateSandboxOptions options) {
        Transport.Call call = http.call("POST", "/v1/sandboxes").json(options);
        String key = options.idempotencyKey();
        return started(key == null ? call.idempotent() : call.idempotencyKey(key));
    }

    /** A sandbox by id, in whatever state it is. */
    public Sandbox get(String sandboxId) {
        return new Sandbox(
                http,
                http.call("GET", "/v1/sandboxes/" + Transport.seg(sandboxId)).as(SandboxInfo.class));
    }

    /** The first page of the caller's sandboxes. */
    public Page<Sandbox> list() {
        return list(null, null, null);
    }

    /** A page of sandboxes, of one {@code status} when given (nulls allowed). */
    public Page<Sandbox> list(String status, String cursor, Integer limit) {
        Page<SandboxInfo> page = http.call("GET", "/v1/sandboxes")
                .query("status", status)
                .query("cursor", cursor)
                .query("limit", limit)
                .as(new TypeReference<Page<SandboxInfo>>() {});
        List<Sandbox> sandboxes =
                page.data().stream().map(info -> new Sandbox(http, info)).toList();
        return new Page<>(sandboxes, page.nextCursor());
    }

    /** Kills a sandbox by id. */
    public SandboxInfo kill(String sandboxId) {
        return http.call("DELETE", "/v1/sandboxes/" + Transport.seg(sandboxId))
                .idempotent()
                .as(SandboxInfo.class);
    }

    /**
     * Resumes the sandbox paused at this snapshot, from any process (409 {@code snapshot_not_current} when
     * the sandbox has moved on since).
     */
    public Sandbox resume(String snapshotId) {
        String sandboxId = http.call("GET", "/v1/snapshots/" + Transport.seg(snapshotId))
                .json()
                .path("sandboxId")
                .asText();
        SandboxInfo info = http.call("POST", "/v1/sandboxes/" + Transport.seg(sandboxId) + "/resume")
                .json(Map.of("snapshotId", snapshotId))
                .idempotent()
                .as(SandboxInfo.class);
        return new Sandbox(http, info);
    }

    /** A new sandbox from a snapshot, with the source's settings. */
    public Sandbox fork(String snapshotId) {
        return fork(snapshotId, null, null);
    }

    /** A new sandbox from a snapshot; only its TTL and metadata (nulls: the source's) may differ. */
    public Sandbox fork(String snapshotId, Duration ttl, Map<String, String> metadata) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("fromSnapshot", snapshotId);
        if (ttl != null) {
            body.put("ttlMs", ttl.toMillis());
        }
        if (metadata != null) {
            body.put("metadata", metadata);
        }
        return started(http.call("POST", "/v1/sandboxes").json(body).idempotent());
    }

    private Sandbox started(Transport.Call create) {
        Sandbox sandbox = new Sandbox(http, create.as(SandboxInfo.class));
        for (long delay = 100; "starting".equals(sandbox.status()); delay = Math.min(1000, delay * 2)) {
            Transport.sleep(Duration.ofMillis(delay));
            sandbox.refresh();
        }
        return sandbox;
    }
}
