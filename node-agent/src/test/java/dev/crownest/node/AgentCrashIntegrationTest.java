package dev.crownest.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.crownest.testing.TestInfrastructure;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code kill -9} of a node agent (a separate JVM here) in the middle of a command, then a restart
 * on the same state: the running sandbox is adopted with its mounted workspace, a sandbox whose
 * record is gone is an orphan and is removed with its workspace, and no container is left behind.
 */
class AgentCrashIntegrationTest {
    static final Path STATE = TestSandboxes.stateDir("node-crash");

    private Process agent;

    @AfterEach
    void stopAgent() throws Exception {
        if (agent != null && agent.isAlive()) {
            agent.destroyForcibly().waitFor();
        }
    }

    @AfterAll
    static void removeState() throws Exception {
        new ProcessBuilder("sh", "-c", "mkdir -p target/crash-logs && cp " + STATE + "/agent-*.log target/crash-logs/")
                .start()
                .waitFor();
        TestSandboxes.remove(STATE);
    }

    @Test
    void aKilledAgentLeavesNoOrphanContainerAfterItsRestart() throws Exception {
        int port = freePort();
        agent = startAgent(port);
        NodeAgentClient client = new NodeAgentClient(port);
        String kept = NodeAgentClient.newId();
        String orphan = NodeAgentClient.newId();
        assertThat(client.create(kept, "base", 1, 256, 32).statusCode()).isEqualTo(201);
        assertThat(client.create(orphan, "base", 1, 256, 32).statusCode()).isEqualTo(201);
        assertThat(client.exec(kept, "echo kept > /workspace/note", 10_000).exitCode())
                .isZero();
        HttpResponse<InputStream> running = client.execStream(kept, "long", "sleep 600", 700_000);
        assertThat(running.statusCode()).as(() -> body(running)).isEqualTo(200);

        agent.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook, nothing cleaned up
        // The orphan: runsc still runs it, but its record is lost (as if the agent died while creating it).
        Files.delete(STATE.resolve("sandboxes").resolve(orphan).resolve("sandbox.json"));
        assertThat(NodeAgentClient.runscList(STATE)).contains(kept, orphan);

        agent = startAgent(port);
        // reconciliation runs when the application is ready, as health starts answering
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() ->
                        assertThat(NodeAgentClient.runscList(STATE).strip()).isEqualTo(kept));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> !Files.exists(STATE.resolve("sandboxes").resolve(orphan)));
        // the kept sandbox's disk image and its /workspace on it, nothing of the orphan's
        Path keptDir = STATE.resolve("sandboxes").resolve(kept);
        assertThat(mounts())
                .containsExactly(
                        keptDir.resolve("disk").toString(),
                        keptDir.resolve("workspace").toString());
        assertThat(STATE.resolve("sandboxes").resolve(orphan)).doesNotExist();
        assertThat(Files.exists(Path.of("/sys/fs/cgroup/memory/crownest", orphan)))
                .isFalse();
        assertThat(client.exec(kept, "cat /workspace/note", 10_000).stdout()).isEqualTo("kept\n");

        assertThat(client.delete(kept)).isEqualTo(204);
        assertThat(NodeAgentClient.runscList(STATE)).isBlank();
        assertThat(mounts()).isEmpty();
    }

    private static String body(HttpResponse<InputStream> res) {
        try {
            return new String(res.body().readAllBytes());
        } catch (IOException e) {
            return e.toString();
        }
    }

    /**
     * The mounts of sandboxes under the node's state directory. The pool of ready workspace disks
     * ({@code workspace-pool/}) is mounted on purpose and kept across restarts (WorkspaceDisks), so it
     * is left out.
     */
    private static List<String> mounts() throws IOException {
        List<String> mounts = new ArrayList<>();
        Path pool = STATE.resolve("workspace-pool");
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String target = line.split(" ")[4];
            if (target.startsWith(STATE.toString()) && !target.startsWith(pool.toString())) {
                mounts.add(target);
            }
        }
        return mounts;
    }

    private static Process startAgent(int port) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        "dev.crownest.node.NodeAgentApplication",
                        "--server.port=" + port,
                        "--crownest.node.state-dir=" + STATE,
                        "--crownest.node.templates-dir=" + TestSandboxes.TEMPLATES,
                        // no warm pool: every container and workspace here is one the test made
                        "--crownest.node.warm-pool.base=0",
                        "--crownest.service-auth.secret=" + TestInfrastructure.SERVICE_SECRET,
                        "--spring.kafka.bootstrap-servers=" + TestInfrastructure.kafka())
                .redirectErrorStream(true)
                .redirectOutput(
                        STATE.resolve("agent-" + System.nanoTime() + ".log").toFile())
                .start();
        NodeAgentClient client = new NodeAgentClient(port);
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(300))
                .ignoreExceptions()
                .until(() -> client.getBytes("/actuator/health").statusCode() == 200);
        return p;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
