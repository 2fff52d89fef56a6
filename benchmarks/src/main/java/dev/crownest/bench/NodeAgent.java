package dev.crownest.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crownest.contracts.api.ApiException;
import dev.crownest.contracts.node.SandboxChange;
import dev.crownest.kit.auth.ServiceCredential;
import dev.crownest.kit.auth.WebClientCredential;
import dev.crownest.nodeclient.NodeClient;
import dev.crownest.nodeclient.protocol.ExecChunk;
import dev.crownest.nodeclient.protocol.ExecFrames;
import dev.crownest.nodeclient.protocol.ExecRequest;
import dev.crownest.nodeclient.protocol.NodeFork;
import dev.crownest.nodeclient.protocol.NodeSandboxSpec;
import dev.crownest.nodeclient.protocol.TemplatePool;
import dev.crownest.systemtest.SystemUnderTest;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * One node agent as the runtime benchmarks drive it: straight to the node, with no control plane in
 * front, so what is timed is the node's own work, through the platform's own {@link NodeClient}
 * (blocking here). A node's refusal is its {@link ApiException}.
 */
public final class NodeAgent {
    /** Reads the node's answers (and exec exits) as the platform does. */
    public static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();
    /**
     * One client for every node of a benchmark, signing its calls with the stack's service secret as the
     * worker does (service-kit's {@link WebClientCredential}).
     */
    public static final NodeClient CLIENT = new NodeClient(
            WebClient.builder()
                    .filter(new WebClientCredential(new ServiceCredential(
                            SystemUnderTest.serviceTokens(),
                            "benchmarks",
                            Duration.ofMinutes(5),
                            Clock.systemUTC(),
                            List.of()))),
            JSON,
            Duration.ofSeconds(5));

    private static final Duration LIMIT = Duration.ofSeconds(60);

    private final URI url;

    public NodeAgent(URI url) {
        this.url = url;
    }

    public URI url() {
        return url;
    }

    /** A fresh sandbox id of the platform's shape. */
    public static String newSandboxId() {
        return "sbx_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
    }

    /** Creates a sandbox (512 MB, 1 GB disk, no network, an hour to live) and answers once it runs. */
    public void create(String id, String template, int cpu) {
        CLIENT.start(url, spec(id, template, cpu)).block(LIMIT);
    }

    /** Starts {@code forkId} from the snapshot the paused {@code sourceId} is at; answers once it runs. */
    public void fork(String sourceId, String forkId) {
        CLIENT.fork(url, sourceId, new NodeFork(null, spec(forkId, null, 1))).block(LIMIT);
    }

    private static NodeSandboxSpec spec(String id, String template, int cpu) {
        return new NodeSandboxSpec(
                id,
                "bench",
                null,
                template,
                cpu,
                512,
                1024,
                "off",
                List.of(),
                null,
                Instant.now().plusSeconds(3600));
    }

    /** Runs {@code cmd} and fails unless it exits 0. */
    public void exec(String id, String cmd) throws IOException {
        ExecFrames.Frame exit = CLIENT.exec(url, id, new ExecRequest(null, cmd, null, null, 10_000, null, null))
                .filter(frame -> frame.type() == ExecFrames.EXIT)
                .blockLast(LIMIT);
        ExecChunk chunk = exit == null ? null : JSON.readValue(exit.payload(), ExecChunk.class);
        if (chunk == null || chunk.exitCode() == null || chunk.exitCode() != 0) {
            throw new IllegalStateException("exec failed on " + url + ": " + chunk);
        }
    }

    public void pause(String id) {
        CLIENT.change(url, id, SandboxChange.PAUSE, null).block(LIMIT);
    }

    public void resume(String id) {
        CLIENT.change(url, id, SandboxChange.RESUME, null).block(LIMIT);
    }

    /** Removes the sandbox; answers the HTTP status (204 when it was there, the refusal's otherwise). */
    public int delete(String id) {
        try {
            CLIENT.stop(url, id).block(LIMIT);
            return 204;
        } catch (ApiException refused) {
            return refused.status();
        }
    }

    /** How many started sandboxes the node's warm pool of {@code template} holds now. */
    public int poolReady(String template) {
        TemplatePool pool = CLIENT.warmPool(url).block(LIMIT).get(template);
        return pool == null ? 0 : pool.ready();
    }
}
