package dev.crownest.sdk;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What {@link Sandboxes#create(CreateSandboxOptions)} sends; unset fields take the API's defaults
 * (template {@code base}, the tenant's default TTL, network {@code off}, ...).
 *
 * <pre>{@code
 * client.sandboxes().create(new CreateSandboxOptions().template("python").ttl(Duration.ofMinutes(10)));
 * }</pre>
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY)
public final class CreateSandboxOptions {

    private String template;
    private Long ttlMs;
    private String network;
    private List<String> allowedHosts;
    private Map<String, String> env;
    private Map<String, String> metadata;
    private Integer cpu;
    private Integer memoryMb;
    private Integer diskMb;
    private String projectId;

    @JsonIgnore
    private String idempotencyKey;

    /** The template the sandbox starts from ({@code base}, {@code python}, {@code node}, or a custom one). */
    public CreateSandboxOptions template(String template) {
        this.template = template;
        return this;
    }

    /** Time to live; the sandbox ends after it unless {@link Sandbox#setTimeout} moves it. */
    public CreateSandboxOptions ttl(Duration ttl) {
        this.ttlMs = ttl.toMillis();
        return this;
    }

    /** {@code off}, {@code restricted} (only {@link #allowedHosts}) or {@code open}. */
    public CreateSandboxOptions network(String network) {
        this.network = network;
        return this;
    }

    /** The hosts a {@code restricted} sandbox may reach (besides the defaults). */
    public CreateSandboxOptions allowedHosts(List<String> hosts) {
        this.allowedHosts = List.copyOf(hosts);
        return this;
    }

    /** Environment variables of every command in the sandbox. */
    public CreateSandboxOptions env(Map<String, String> env) {
        this.env = Map.copyOf(env);
        return this;
    }

    /** Labels kept on the sandbox's record. */
    public CreateSandboxOptions metadata(Map<String, String> metadata) {
        this.metadata = Map.copyOf(metadata);
        return this;
    }

    /** CPUs (default: the node's default). */
    public CreateSandboxOptions cpu(int cpu) {
        this.cpu = cpu;
        return this;
    }

    /** Memory in MiB (default: the node's default). */
    public CreateSandboxOptions memoryMb(int memoryMb) {
        this.memoryMb = memoryMb;
        return this;
    }

    /** Writable disk in MiB (default: the node's default). */
    public CreateSandboxOptions diskMb(int diskMb) {
        this.diskMb = diskMb;
        return this;
    }

    /** The project of the sandbox (keys of one project need not say it). */
    public CreateSandboxOptions projectId(String projectId) {
        this.projectId = projectId;
        return this;
    }

    /**
     * The request's Idempotency-Key (default: a fresh one per call, reused by its retries). The same key
     * again answers the sandbox the first request created.
     */
    public CreateSandboxOptions idempotencyKey(String key) {
        this.idempotencyKey = key;
        return this;
    }

    String idempotencyKey() {
        return idempotencyKey;
    }
}
