package dev.crownest.node;

import dev.crownest.node.pool.WarmPool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What only the docker runtime has to show (the shared runtime tests run on it too): pause and
 * resume through docker checkpoint, the warm pool's containers, the template's image, and network
 * modes other than off refused. Runs in the node-agent pom's docker-runtime execution only.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
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

    @Test
    void pauseKeepsProcessesAndRootFilesAndResumeBringsThemBack() throws Exception {
        try (var sandbox = TestSandboxes.start(port, "base", 2, 256, 0)) {
            NodeAgentClient client = sandbox.client();
            assertThat(sandbox.exec("setsid sh -c 'i=0; while :; do i=$((i+1)); echo $i > /tmp/count; sleep 0.2; done' "
                    + ">/dev/null 2>&1 </dev/null & echo kept > /root/file", 10_000).exitCode()).isZero();
            Thread.sleep(1000);
            long t0 = System.nanoTime();
            HttpResponse<String> paused = client.post("/node/v1/sandboxes/" + sandbox.id() + "/pause", "{}");
            System.out.printf("docker pause: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
            assertThat(paused.statusCode()).as(paused.body()).isEqualTo(200);
            assertThat(NodeAgentClient.json(paused.body()).path("state").asText()).isEqualTo("paused");
            assertThat(NodeAgentClient.runscState(STATE, sandbox.id())).isEqualTo("stopped");
            assertThat(client.exec(sandbox.id(), "true", 1000).status()).isEqualTo(409);
            t0 = System.nanoTime();
            HttpResponse<String> resumed = client.post("/node/v1/sandboxes/" + sandbox.id() + "/resume", "{}");
            System.out.printf("docker resume: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
            assertThat(resumed.statusCode()).as(resumed.body()).isEqualTo(200);
            NodeAgentClient.Exec after = sandbox.exec("cat /root/file; a=$(cat /tmp/count); sleep 1; b=$(cat /tmp/count); "
                    + "[ $b -gt $a ] && echo counting", 10_000);
            assertThat(after.stdout()).isEqualTo("kept\ncounting\n");
            // a second pause after a resume (the checkpoint's name is used again)
            assertThat(client.post("/node/v1/sandboxes/" + sandbox.id() + "/pause", "{}").statusCode()).isEqualTo(200);
            assertThat(client.post("/node/v1/sandboxes/" + sandbox.id() + "/resume", "{}").statusCode()).isEqualTo(200);
            assertThat(sandbox.exec("cat /root/file", 10_000).stdout()).isEqualTo("kept\n");
        }
    }

    @Test
    void aCreateOfThePoolsShapeTakesAPooledContainer() throws Exception {
        await().atMost(Duration.ofSeconds(60)).until(() -> pool.readyCount("base") == 1);
        try (var sandbox = TestSandboxes.start(port, "base", 1, 512, 1024)) {
            assertThat(TestSandboxes.docker("inspect", "-f", "{{.Name}}", TestSandboxes.containerOf(STATE, sandbox.id())))
                    .startsWith("/pool_");
            assertThat(sandbox.exec("echo hi > /workspace/f && cat /workspace/f", 10_000).stdout()).isEqualTo("hi\n");
            assertThat(STATE.resolve("sandboxes").resolve(sandbox.id()).resolve("workspace/f")).hasContent("hi");
        }
        assertThat(TestSandboxes.docker("images", "--format", "{{.Repository}}", "crownest/base")).contains("crownest/base");
    }

    @Test
    void networkModesOtherThanOffAreRefused() throws Exception {
        NodeAgentClient client = new NodeAgentClient(port);
        String id = NodeAgentClient.newId();
        HttpResponse<String> res = client.post("/node/v1/sandboxes", """
                {"sandboxId":"%s","tenantId":"t1","template":"base","network":"restricted","expiresAt":"%s"}"""
                .formatted(id, Instant.now().plusSeconds(60)));
        assertThat(res.statusCode()).isEqualTo(400);
        assertThat(NodeAgentClient.json(res.body()).path("error").path("code").asText()).isEqualTo("network_mode_unsupported");
        assertThat(NodeAgentClient.runscList(STATE)).doesNotContain(id);
    }
}
