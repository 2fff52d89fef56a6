package dev.crownest.sdk;

import java.time.Duration;
import java.util.Map;

/**
 * One sandbox: its record ({@link #info()}, kept current by the calls below) and what can be done with
 * it: {@link #commands()}, {@link #files()}, {@link #previews()}, {@link #artifacts()}, pause, resume,
 * fork, TTL and kill.
 */
public final class Sandbox {

    private final Transport http;
    private final String id;
    private final Commands commands;
    private final SandboxFiles files;
    private final Previews previews;
    private final Artifacts artifacts;
    private volatile SandboxInfo info;
    private volatile String snapshotId;

    Sandbox(Transport http, SandboxInfo info) {
        this.http = http;
        this.id = info.id();
        this.info = info;
        this.snapshotId = info.snapshotId();
        this.commands = new Commands(http, id);
        this.files = new SandboxFiles(http, id);
        this.previews = new Previews(http, id);
        this.artifacts = new Artifacts(http, id);
    }

    /** The sandbox's id ({@code sbx_...}). */
    public String id() {
        return id;
    }

    /** The status as last read: {@code running}, {@code paused}, {@code ended}, ... */
    public String status() {
        return info.status();
    }

    /** The record as last read. */
    public SandboxInfo info() {
        return info;
    }

    /** The snapshot the last {@link #pause()} made, or null. */
    public String snapshotId() {
        return snapshotId;
    }

    /** Run, reattach to, list and cancel commands. */
    public Commands commands() {
        return commands;
    }

    /** The files of /workspace. */
    public SandboxFiles files() {
        return files;
    }

    /** URLs of the sandbox's ports. */
    public Previews previews() {
        return previews;
    }

    /** Files collected by runs. */
    public Artifacts artifacts() {
        return artifacts;
    }

    private String path() {
        return "/v1/sandboxes/" + Transport.seg(id);
    }

    private Sandbox update(SandboxInfo answer) {
        if (answer != null && answer.id() != null) {
            info = answer;
        }
        return this;
    }

    /** Reads the record again. */
    public Sandbox refresh() {
        return update(http.call("GET", path()).as(SandboxInfo.class));
    }

    /** Pauses (a checkpoint on disk) and answers the new snapshot's id. */
    public String pause() {
        SandboxInfo answer = http.call("POST", path() + "/pause").idempotent().as(SandboxInfo.class);
        update(answer);
        snapshotId = answer.snapshotId();
        return snapshotId;
    }

    /** Resumes this sandbox in place (at its latest snapshot). */
    public Sandbox resume() {
        return update(http.call("POST", path() + "/resume").idempotent().as(SandboxInfo.class));
    }

    /** Sets the time left to live to {@code ttl} from now. */
    public Sandbox setTimeout(Duration ttl) {
        return update(http.call("POST", path() + "/ttl")
                .json(Map.of("ttlMs", ttl.toMillis()))
                .idempotent()
                .as(SandboxInfo.class));
    }

    /** Ends the sandbox; its artifacts stay readable. */
    public Sandbox kill() {
        return update(http.call("DELETE", path()).idempotent().as(SandboxInfo.class));
    }

    /** A new sandbox from the snapshot of the last {@link #pause()}. */
    public Sandbox fork() {
        if (snapshotId == null) {
            throw new IllegalStateException("fork() needs a snapshot: pause() first, or use sandboxes().fork(id)");
        }
        return new Sandboxes(http).fork(snapshotId);
    }

    @Override
    public String toString() {
        return "Sandbox[" + id + ", " + info.status() + "]";
    }
}
