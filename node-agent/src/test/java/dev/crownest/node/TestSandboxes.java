package dev.crownest.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * Shared setup of the node agent's tests against real runsc: a state dir of their own, the templates,
 * and the runtime. {@code -Dcrownest.test.runtime=docker} (the node-agent pom's {@code docker-runtime}
 * execution) runs the same tests on the docker runtime against the daemon at
 * {@code CROWNEST_TEST_DOCKER_HOST} (started by {@code ./crownest test}).
 */
public final class TestSandboxes {
    public static final boolean DOCKER = "docker".equals(System.getProperty("crownest.test.runtime", "runsc"));
    public static final String DOCKER_HOST =
            System.getenv().getOrDefault("CROWNEST_TEST_DOCKER_HOST", "unix:///var/run/docker.sock");
    /**
     * The runsc the node agent under test runs, as the agent reads it: {@code -Dcrownest.node.runsc-path},
     * or the environment's {@code CROWNEST_NODE_RUNSCPATH}, or runsc on the PATH.
     */
    public static final String RUNSC = System.getProperty(
            "crownest.node.runsc-path", System.getenv().getOrDefault("CROWNEST_NODE_RUNSCPATH", "runsc"));

    public static final Path TEMPLATES = Path.of(System.getenv()
            .getOrDefault("CROWNEST_TEMPLATES_DIR", System.getProperty("user.home") + "/.cache/crownest/templates"));

    private TestSandboxes() {}

    public static Path stateDir(String prefix) {
        if (!Files.isDirectory(TEMPLATES.resolve("base/rootfs"))) {
            throw new IllegalStateException("no base template at " + TEMPLATES + "; run ./crownest templates build");
        }
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A node agent on {@code state} without a warm pool: every container a test sees is one it made. */
    public static void register(DynamicPropertyRegistry registry, Path state) {
        register(registry, state, 0);
    }

    /** As {@link #register(DynamicPropertyRegistry, Path)}, with {@code warmPool} pre-started base sandboxes. */
    public static void register(DynamicPropertyRegistry registry, Path state, int warmPool) {
        registry.add("crownest.node.warm-pool.base", () -> Integer.toString(warmPool));
        registry.add("crownest.node.state-dir", state::toString);
        registry.add("crownest.node.templates-dir", TEMPLATES::toString);
        if (DOCKER) {
            registry.add("crownest.node.runtime", () -> "docker");
            registry.add("crownest.node.docker.host", () -> DOCKER_HOST);
        }
    }

    /**
     * Ends the sandboxes and unmounts the workspaces a test left behind, then removes the state dir. A
     * warm pool's sandboxes may be frozen (the agent's context closes later): each is thawed first.
     */
    public static void remove(Path state) throws Exception {
        if (DOCKER) {
            for (String id : docker("ps", "-aq", "--no-trunc", "--filter", "label=dev.crownest.node-state=" + state)
                    .split("\\s+")) {
                if (!id.isBlank()) {
                    thaw(id);
                    docker("rm", "-f", id);
                }
            }
        }
        new ProcessBuilder(
                        "sh",
                        "-c",
                        "for m in $(grep -o ' " + state + "/[^ ]*' /proc/self/mountinfo); do umount -l $m; done; "
                                + RUNSC + " --root " + state
                                + "/runsc list -quiet 2>/dev/null | while read id; do "
                                + "echo THAWED > /sys/fs/cgroup/freezer/crownest/$id/freezer.state 2>/dev/null; "
                                + RUNSC + " --root " + state
                                + "/runsc delete -force $id; done; rm -rf " + state)
                .inheritIO()
                .start()
                .waitFor();
    }

    /** A running sandbox, stopped at close. */
    record Sandbox(NodeAgentClient client, String id) implements AutoCloseable {
        NodeAgentClient.Exec exec(String cmd, long timeoutMs) throws Exception {
            return client.exec(id, cmd, timeoutMs);
        }

        @Override
        public void close() throws Exception {
            client.delete(id);
        }
    }

    static Sandbox start(int port, String template, int cpu, int memoryMb, int diskMb) throws Exception {
        NodeAgentClient client = new NodeAgentClient(port);
        String id = NodeAgentClient.newId();
        HttpResponse<String> created = client.create(id, template, cpu, memoryMb, diskMb);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return new Sandbox(client, id);
    }

    /** The sandbox's container id (its host cgroup's name): the sandbox id on runsc, Docker's id on docker. */
    static String containerOf(Path state, String sandboxId) {
        try {
            return NodeAgentClient.json(Files.readString(
                            state.resolve("sandboxes").resolve(sandboxId).resolve("sandbox.json")))
                    .path("containerId")
                    .asText(sandboxId);
        } catch (Exception e) {
            throw new IllegalStateException("no record of sandbox " + sandboxId, e);
        }
    }

    /** The docker CLI against the test daemon; stdout and stderr. */
    private static void thaw(String containerId) {
        try {
            Files.writeString(Path.of("/sys/fs/cgroup/freezer/crownest", containerId, "freezer.state"), "THAWED");
        } catch (IOException e) {
            // no freezer here, or not frozen by anyone: nothing to thaw
        }
    }

    static String docker(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("docker", "-H", DOCKER_HOST));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }

    /** Files of the container's host cgroup ({@link #containerOf}), for the report of what a test saw. */
    static String cgroupStats(String controller, String containerId, String... files) {
        StringBuilder out = new StringBuilder();
        for (String file : files) {
            Path path = Path.of("/sys/fs/cgroup", controller, "crownest", containerId, file);
            try {
                out.append(file)
                        .append('=')
                        .append(Files.readString(path).strip().replace('\n', ','))
                        .append(' ');
            } catch (IOException e) {
                out.append(file).append("=? ");
            }
        }
        return out.toString();
    }
}
