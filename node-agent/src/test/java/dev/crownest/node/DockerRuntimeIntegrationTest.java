package dev.crownest.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.crownest.node.pool.WarmPool;
import dev.crownest.testing.IntegrationTest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * What only the docker runtime has to show (the shared runtime tests run on it too): pause refused
 * (off by default there), the warm pool's containers, the template's image, and network modes other
 * than off refused. Runs in the node-agent pom's docker-runtime execution only.
 */
@IntegrationTest
class DockerRuntimeIntegrationTest {
    static final Path STATE = TestSandboxes.stateDir("node-docker");

    @BeforeAll
    static void onDockerOnly() {
        assumeTrue(TestSandboxes.DOCKER, "the docker runtime's own test (-Dcrownest.test.runtime=docker)");
    }

    @DynamicPropertySource
    static void node(DynamicPropertyRegistry registry) {
        TestSandboxes.register(registry, STATE, 1);
    }

    @LocalServerPort
    int port;

    @Autowired
    WarmPool pool;

    @AfterAll
    static void removeState() throws Exception {
        TestSandboxes.remove(STATE);
    }

    /** Pause is off on this runtime by default (DockerProperties#checkpoints): refused, the sandbox untouched. */
    @Test
    void pauseIsRefusedAndTheSandboxRunsOn() throws Exception {
        try (var sandbox = TestSandboxes.start(port, "base", 2, 256, 0)) {
            NodeAgentClient client = sandbox.client();
            assertThat(sandbox.exec("echo kept > /root/file", 10_000).exitCode())
                    .isZero();
            HttpResponse<String> paused = client.post("/node/v1/sandboxes/" + sandbox.id() + "/pause", "{}");
            assertThat(paused.statusCode()).as(paused.body()).isEqualTo(409);
            assertThat(NodeAgentClient.json(paused.body())
                            .path("error")
                            .path("code")
                            .asText())
                    .isEqualTo("pause_unsupported");
            assertThat(NodeAgentClient.runscState(STATE, sandbox.id())).isEqualTo("running");
            assertThat(sandbox.exec("cat /root/file", 10_000).stdout()).isEqualTo("kept\n");
            assertThat(STATE.resolve("sandboxes").resolve(sandbox.id()).resolve("checkpoint"))
                    .doesNotExist();
        }
    }

    @Test
    void aCreateOfThePoolsShapeTakesAPooledContainer() throws Exception {
        await().atMost(Duration.ofSeconds(60)).until(() -> pool.readyCount("base") == 1);
        try (var sandbox = TestSandboxes.start(port, "base", 1, 512, 1024)) {
            assertThat(TestSandboxes.docker(
                            "inspect", "-f", "{{.Name}}", TestSandboxes.containerOf(STATE, sandbox.id())))
                    .startsWith("/pool_");
            assertThat(sandbox.exec("echo hi > /workspace/f && cat /workspace/f", 10_000)
                            .stdout())
                    .isEqualTo("hi\n");
            assertThat(STATE.resolve("sandboxes").resolve(sandbox.id()).resolve("workspace/f"))
                    .hasContent("hi");
        }
        assertThat(TestSandboxes.docker("images", "--format", "{{.Repository}}", "crownest/base"))
                .contains("crownest/base");
    }

    @Test
    void networkModesOtherThanOffAreRefused() throws Exception {
        NodeAgentClient client = new NodeAgentClient(port);
        String id = NodeAgentClient.newId();
        HttpResponse<String> res = client.post(
                "/node/v1/sandboxes", """
                {"sandboxId":"%s","tenantId":"t1","template":"base","network":"restricted","expiresAt":"%s"}""".formatted(id, Instant.now().plusSeconds(60)));
        assertThat(res.statusCode()).isEqualTo(400);
        assertThat(NodeAgentClient.json(res.body()).path("error").path("code").asText())
                .isEqualTo("network_mode_unsupported");
        assertThat(NodeAgentClient.runscList(STATE)).doesNotContain(id);
    }
}
