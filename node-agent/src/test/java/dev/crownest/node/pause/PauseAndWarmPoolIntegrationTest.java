package dev.crownest.node.pause;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crownest.contracts.event.Topics;
import dev.crownest.kit.auth.ServiceCredential;
import dev.crownest.node.NodeProperties;
import dev.crownest.node.TestSandboxes;
import dev.crownest.node.agent.ProcessAgents;
import dev.crownest.node.limits.LimitProperties;
import dev.crownest.node.limits.WorkspaceDisks;
import dev.crownest.node.network.SandboxNetworks;
import dev.crownest.node.pool.WarmPool;
import dev.crownest.node.pool.WarmPoolProperties;
import dev.crownest.node.runsc.Runsc;
import dev.crownest.node.sandbox.NodeSandboxes;
import dev.crownest.node.sandbox.Reconciliation;
import dev.crownest.node.sandbox.SandboxDirs;
import dev.crownest.testing.IntegrationTest;
import dev.crownest.testing.TestInfrastructure;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Pause and resume by runsc checkpoint/restore, adoption of paused sandboxes after a restart, and the
 * warm pool: real gVisor sandboxes, real Kafka.
 */
@IntegrationTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PauseAndWarmPoolIntegrationTest {
    private static final Path STATE = TestSandboxes.stateDir("node-pause-test");

    @DynamicPropertySource
    static void node(DynamicPropertyRegistry registry) {
        TestSandboxes.register(registry, STATE, 2);
        registry.add("crownest.node.warm-pool-sizing.freeze-after", () -> "2s");
    }

    @LocalServerPort
    int port;

    @Autowired
    ServiceCredential credential;

    @Autowired
    ObjectMapper json;

    @Autowired
    WarmPool pool;

    @Autowired
    NodeProperties nodeProperties;

    @Autowired
    Runsc runsc;

    @Autowired
    SandboxNetworks networks;

    @Autowired
    LimitProperties limits;

    @Autowired
    WorkspaceDisks disks;

    private final HttpClient http = HttpClient.newHttpClient();

    @AfterAll
    static void removeState() throws Exception {
        TestSandboxes.remove(STATE);
    }

    @Test
    @Order(0)
    void aTimedOutCommandDiesWithItsWholeProcessGroup() throws Exception {
        String id = newId();
        assertThat(create(id, 2, 512, 1024, Map.of(), Instant.now().plusSeconds(120))
                        .statusCode())
                .isEqualTo(201);
        long t0 = System.nanoTime();
        HttpResponse<String> res = post(
                "/node/v1/sandboxes/" + id + "/exec",
                json.writeValueAsString(Map.of("cmd", "sleep 41 & sleep 42", "timeoutMs", 1000)));
        assertThat(res.body()).contains("\"timedOut\":true");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
        // Both sleeps are gone (at most zombies, state Z, until PID 1 reaps them).
        assertThat(exec(id, "ps -e -o stat=,args= | grep 'sleep 4[12]' | grep -v '^Z' | wc -l")
                        .stdout
                        .trim())
                .isEqualTo("0");
        assertThat(delete(id)).isEqualTo(204);
    }

    @Test
    @Order(1)
    void aCreateOfThePoolsShapeIsClaimedFromThePoolAndTheOthersStartCold() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> pool.readyCount("base") == 2);
        // A first request warms the JVM's request path (parsing, dispatch), which is not what is timed.
        assertThat(post("/node/v1/sandboxes", "{\"sandboxId\":\"sbx_warmup\",\"template\":\"nope\"}")
                        .statusCode())
                .isEqualTo(400);
        String pooled = newId();
        HttpResponse<String> created = create(
                pooled, 1, 512, 1024, Map.of("GREETING", "warm"), Instant.now().plusSeconds(120));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        // A claim skips runsc create+start: a few ms (bench runtime), not timed here, where other builds load the
        // machine.
        assertThat(json.readTree(STATE.resolve("sandboxes")
                                .resolve(pooled)
                                .resolve("sandbox.json")
                                .toFile())
                        .path("containerId")
                        .asText())
                .startsWith("pool_");
        assertThat(runscList()).doesNotContain(pooled).anyMatch(c -> c.startsWith("pool_"));
        // The spec's env applies at exec time; the workspace is the sandbox's own directory.
        assertThat(exec(pooled, "echo $GREETING > /workspace/g && cat /workspace/g").stdout)
                .isEqualTo("warm\n");
        assertThat(STATE.resolve("sandboxes").resolve(pooled).resolve("workspace/g"))
                .hasContent("warm");

        String cold = newId();
        assertThat(create(cold, 2, 512, 1024, Map.of(), Instant.now().plusSeconds(120))
                        .statusCode())
                .isEqualTo(201);
        assertThat(runscList()).contains(cold);

        // The pool refills in the background.
        await().atMost(Duration.ofSeconds(30)).until(() -> pool.readyCount("base") == 2);
        // Pooled, unclaimed sandboxes are never sampled: only the two claimed/cold ones have samples.
        for (String id : List.of(pooled, cold)) {
            assertThat(delete(id)).isEqualTo(204);
        }
        assertThat(runscList()).doesNotContain(cold).noneMatch(c -> c.equals(pooled));
        assertThat(samplesOf(s -> s.startsWith("pool_"), Duration.ofSeconds(2))).isEmpty();
    }

    @Test
    @Order(2)
    void aPooledSandboxLeftUnclaimedIsFrozenAndItsClaimThawsIt() throws Exception {
        // only the runsc runtime freezes (SandboxRuntime.freezable): Docker's death watch asks states
        assumeFalse(TestSandboxes.DOCKER);
        await().atMost(Duration.ofSeconds(30)).until(() -> pool.readyCount("base") == 2);
        List<String> pooled =
                runscList().stream().filter(WarmPool::isPoolContainer).toList();
        assertThat(pooled).hasSize(2);
        // freeze-after is 2 s in this class: frozen, an idle sandbox uses no CPU at all
        await().atMost(Duration.ofSeconds(20))
                .until(() -> pooled.stream().allMatch(c -> "FROZEN".equals(cgroupFile(c, "freezer", "freezer.state"))));
        long cpuBefore = Long.parseLong(cgroupFile(pooled.get(0), "cpuacct", "cpuacct.usage"));
        Thread.sleep(2000);
        assertThat(Long.parseLong(cgroupFile(pooled.get(0), "cpuacct", "cpuacct.usage")))
                .isEqualTo(cpuBefore);

        String id = newId();
        assertThat(create(id, 1, 512, 1024, Map.of(), Instant.now().plusSeconds(120))
                        .statusCode())
                .isEqualTo(201);
        String container = json.readTree(STATE.resolve("sandboxes")
                        .resolve(id)
                        .resolve("sandbox.json")
                        .toFile())
                .path("containerId")
                .asText();
        assertThat(pooled).contains(container);
        assertThat(cgroupFile(container, "freezer", "freezer.state")).isEqualTo("THAWED");
        assertThat(exec(id, "echo awake").stdout).isEqualTo("awake\n");
        assertThat(delete(id)).isEqualTo(204);
    }

    /** A file of a container's host cgroup, trimmed; "" when it cannot be read. */
    private String cgroupFile(String containerId, String controller, String file) {
        try {
            return Files.readString(limits.cgroupRoot()
                            .resolve(controller)
                            .resolve("crownest")
                            .resolve(containerId)
                            .resolve(file))
                    .strip();
        } catch (IOException e) {
            return "";
        }
    }

    @Test
    @Order(3)
    void pauseKeepsProcessesAndFilesAndMetersNothingWhilePaused() throws Exception {
        String id = newId();
        // Not the pool's shape (cpu 2): a cold start, under its own container id.
        assertThat(create(id, 2, 512, 1024, Map.of(), Instant.now().plusSeconds(120))
                        .statusCode())
                .isEqualTo(201);
        pauseResumeRoundTrip(id);
        assertThat(delete(id)).isEqualTo(204);
    }

    @Test
    @Order(4)
    void aSandboxClaimedFromThePoolPausesAndResumesToo() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> pool.readyCount("base") >= 1);
        String id = newId();
        assertThat(create(id, 1, 512, 1024, Map.of(), Instant.now().plusSeconds(120))
                        .statusCode())
                .isEqualTo(201);
        assertThat(runscList()).doesNotContain(id);
        pauseResumeRoundTrip(id);
        assertThat(delete(id)).isEqualTo(204);
    }

    @Test
    @Order(5)
    void aPausedSandboxsTtlStandsStillAndRunsAgainFromItsResume() throws Exception {
        String id = newId();
        assertThat(create(id, 2, 512, 1024, Map.of(), Instant.now().plusSeconds(2))
                        .statusCode())
                .isEqualTo(201);
        assertThat(post("/node/v1/sandboxes/" + id + "/pause", "").statusCode()).isEqualTo(200);
        assertThat(STATE.resolve("sandboxes").resolve(id).resolve("checkpoint")).isDirectory();
        Thread.sleep(3000); // past its deadline, paused: it stays
        assertThat(STATE.resolve("sandboxes").resolve(id)).isDirectory();
        HttpResponse<String> resumed = post(
                "/node/v1/sandboxes/" + id + "/resume",
                json.writeValueAsString(
                        Map.of("expiresAt", Instant.now().plusSeconds(2).toString())));
        assertThat(resumed.statusCode()).as(resumed.body()).isEqualTo(200);
        // its deadline from the resume on: gone with its image soon after
        await().atMost(Duration.ofSeconds(6))
                .until(() -> !Files.exists(STATE.resolve("sandboxes").resolve(id)));
        assertThat(post("/node/v1/sandboxes/" + id + "/resume", "").statusCode())
                .isEqualTo(404);
    }

    /**
     * A fork has the snapshot's memory: a counting loop started before the pause counts on in the fork
     * from where it was, never from 1; the source resumes and counts on too, each on its own disk.
     */
    @Test
    @Order(7)
    void aForkKeepsMemoryAndTheSourceResumesAfterIt() throws Exception {
        String source = newId();
        assertThat(create(source, 2, 512, 1024, Map.of(), Instant.now().plusSeconds(120))
                        .statusCode())
                .isEqualTo(201);
        assertThat(exec(
                                source,
                                "setsid sh -c 'i=0; while true; do i=$((i+1)); echo $i > /workspace/count; sleep 0.1; done' </dev/null >/dev/null 2>&1 &")
                        .exitCode)
                .isZero();
        Path sourceCount = STATE.resolve("sandboxes").resolve(source).resolve("workspace/count");
        await().atMost(Duration.ofSeconds(10)).until(() -> count(sourceCount) >= 10);
        assertThat(post("/node/v1/sandboxes/" + source + "/pause", "{\"snapshotId\":\"snp_1\"}")
                        .statusCode())
                .isEqualTo(200);
        long atPause = count(sourceCount);

        // Another snapshot than the one it is paused at: refused, nothing made.
        String refused = newId();
        HttpResponse<String> stale = post("/node/v1/sandboxes/" + source + "/fork", forkBody(refused, "snp_0"));
        assertThat(stale.statusCode()).as(stale.body()).isEqualTo(409);
        assertThat(stale.body()).contains("snapshot_not_current");
        assertThat(STATE.resolve("sandboxes").resolve(refused)).doesNotExist();

        String fork = newId();
        HttpResponse<String> forked = post("/node/v1/sandboxes/" + source + "/fork", forkBody(fork, "snp_1"));
        assertThat(forked.statusCode()).as(forked.body()).isEqualTo(201);
        assertThat(json.readTree(forked.body()).path("state").asText()).isEqualTo("running");
        Path forkCount = STATE.resolve("sandboxes").resolve(fork).resolve("workspace/count");
        await().atMost(Duration.ofSeconds(10)).until(() -> count(forkCount) > atPause + 5);
        assertThat(count(sourceCount)).as("the paused source does not count").isEqualTo(atPause);

        HttpResponse<String> resumed = post("/node/v1/sandboxes/" + source + "/resume", "{\"snapshotId\":\"snp_1\"}");
        assertThat(resumed.statusCode()).as(resumed.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> count(sourceCount) > atPause + 5);
        // Each counts in its own /workspace: the fork's file is not the source's.
        assertThat(exec(fork, "echo fork-only > /workspace/mine").exitCode).isZero();
        assertThat(STATE.resolve("sandboxes").resolve(source).resolve("workspace/mine"))
                .doesNotExist();
        assertThat(delete(fork)).isEqualTo(204);
        assertThat(delete(source)).isEqualTo(204);
    }

    private static long count(Path file) {
        try {
            String text = Files.readString(file).strip();
            return text.isEmpty() ? 0 : Long.parseLong(text);
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    private String forkBody(String id, String snapshotId) throws Exception {
        return json.writeValueAsString(Map.of(
                "snapshotId",
                snapshotId,
                "spec",
                Map.of(
                        "sandboxId",
                        id,
                        "tenantId",
                        "t1",
                        "expiresAt",
                        Instant.now().plusSeconds(120).toString())));
    }

    @Test
    @Order(6)
    void aRestartedNodeAdoptsItsPausedSandboxAndResumesIt() throws Exception {
        String id = newId();
        assertThat(create(id, 2, 512, 1024, Map.of(), Instant.now().plusSeconds(120))
                        .statusCode())
                .isEqualTo(201);
        assertThat(exec(id, "echo before > /tmp/memory-file").exitCode).isZero();
        assertThat(post("/node/v1/sandboxes/" + id + "/pause", "").statusCode()).isEqualTo(200);
        // Restarted at once: the stopped container may not be deleted yet; reconciliation must cope.

        // A second agent on the same state dir, as after a restart: reconciliation must keep the image.
        ProcessAgents agents = new ProcessAgents(runsc, nodeProperties);
        SandboxDirs dirs = new SandboxDirs(nodeProperties);
        WarmPool warmPool =
                new WarmPool(nodeProperties, new WarmPoolProperties(Map.of()), runsc, limits, disks, agents);
        NodeSandboxes restarted = new NodeSandboxes(
                nodeProperties, dirs, runsc, Clock.systemUTC(), networks, limits, disks, warmPool, agents);
        new Reconciliation(restarted, dirs, runsc, disks, networks, warmPool).reconcile();
        assertThat(restarted.find(id))
                .hasValueSatisfying(s -> assertThat(s.paused()).isTrue());
        assertThat(restarted.resume(id, null).paused()).isFalse();
        assertThat(runscList()).contains(id);
        Process cat = runsc.exec(id, "/", Map.of(), "cat /tmp/memory-file");
        assertThat(new String(cat.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                .isEqualTo("before\n");
        restarted.stop(id);
        assertThat(runscList()).doesNotContain(id);
    }

    private void pauseResumeRoundTrip(String id) throws Exception {
        assertThat(exec(
                                id,
                                "echo kept > /workspace/file && echo overlay > /tmp/mem && "
                                        + "setsid sh -c 'while true; do date +%s >> /workspace/ticks; sleep 0.2; done' </dev/null >/dev/null 2>&1 &")
                        .exitCode)
                .isZero();
        Path ticks = STATE.resolve("sandboxes").resolve(id).resolve("workspace/ticks");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> Files.exists(ticks) && Files.readAllLines(ticks).size() >= 2);
        Thread.sleep(1500); // at least one whole second running, so it has a sample before the pause
        String containerId = STATE.resolve("sandboxes")
                        .resolve(id)
                        .resolve("sandbox.json")
                        .toFile()
                        .exists()
                ? json.readTree(STATE.resolve("sandboxes")
                                .resolve(id)
                                .resolve("sandbox.json")
                                .toFile())
                        .path("containerId")
                        .asText()
                : id;
        HttpResponse<String> paused = post("/node/v1/sandboxes/" + id + "/pause", "");
        assertThat(paused.statusCode()).as(paused.body()).isEqualTo(200);
        assertThat(json.readTree(paused.body()).path("state").asText()).isEqualTo("paused");
        long pausedAt = Instant.now().getEpochSecond();
        assertThat(post("/node/v1/sandboxes/" + id + "/pause", "").statusCode())
                .as("idempotent")
                .isEqualTo(200);
        // The stopped container is deleted in the background once its process is reaped.
        await().atMost(Duration.ofSeconds(10)).until(() -> !runscList().contains(containerId));
        assertThat(post("/node/v1/sandboxes/" + id + "/exec", "{\"cmd\":\"true\"}")
                        .statusCode())
                .isEqualTo(409);
        long ticksWhilePaused = Files.readAllLines(
                        STATE.resolve("sandboxes").resolve(id).resolve("workspace/ticks"))
                .size();
        Thread.sleep(3000);
        assertThat(Files.readAllLines(STATE.resolve("sandboxes").resolve(id).resolve("workspace/ticks")))
                .hasSize((int) ticksWhilePaused);
        long resumedAt = Instant.now().getEpochSecond();

        HttpResponse<String> resumed = post("/node/v1/sandboxes/" + id + "/resume", "");
        assertThat(resumed.statusCode()).as(resumed.body()).isEqualTo(200);
        assertThat(json.readTree(resumed.body()).path("state").asText()).isEqualTo("running");
        assertThat(post("/node/v1/sandboxes/" + id + "/resume", "").statusCode())
                .as("idempotent")
                .isEqualTo(200);
        assertThat(exec(id, "cat /workspace/file /tmp/mem").stdout).isEqualTo("kept\noverlay\n");
        // The background loop runs on: its ticks grow again.
        await().atMost(Duration.ofSeconds(5))
                .until(() -> Files.readAllLines(
                                        STATE.resolve("sandboxes").resolve(id).resolve("workspace/ticks"))
                                .size()
                        > ticksWhilePaused + 2);

        List<Long> seconds = new ArrayList<>();
        samplesOf(id::equals, Duration.ofSeconds(3))
                .forEach(s -> seconds.add(s.path("second").asLong()));
        assertThat(seconds).as("samples before the pause").anyMatch(s -> s < pausedAt);
        assertThat(seconds).as("no samples while paused").noneMatch(s -> s > pausedAt && s < resumedAt);
    }

    private static String newId() {
        return "sbx_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
    }

    private HttpResponse<String> create(
            String id, int cpu, int memoryMb, int diskMb, Map<String, String> env, Instant expiresAt) throws Exception {
        return post(
                "/node/v1/sandboxes",
                json.writeValueAsString(Map.of(
                        "sandboxId",
                        id,
                        "tenantId",
                        "t1",
                        "template",
                        "base",
                        "cpu",
                        cpu,
                        "memoryMb",
                        memoryMb,
                        "diskMb",
                        diskMb,
                        "network",
                        "off",
                        "env",
                        env,
                        "expiresAt",
                        expiresAt.toString())));
    }

    private int delete(String id) throws Exception {
        return http.send(
                        credential
                                .sign(HttpRequest.newBuilder(uri("/node/v1/sandboxes/" + id)))
                                .DELETE()
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .statusCode();
    }

    private record Exec(int exitCode, String stdout) {}

    private Exec exec(String id, String cmd) throws Exception {
        HttpResponse<String> res = post(
                "/node/v1/sandboxes/" + id + "/exec",
                json.writeValueAsString(Map.of("commandId", "c", "cmd", cmd, "timeoutMs", 10_000)));
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        StringBuilder out = new StringBuilder();
        int exit = -1;
        for (String line : res.body().split("\n")) {
            JsonNode chunk = json.readTree(line);
            switch (chunk.path("stream").asText()) {
                case "stdout" ->
                    out.append(new String(
                            Base64.getDecoder().decode(chunk.path("data").asText()), StandardCharsets.UTF_8));
                case "exit" -> exit = chunk.path("exitCode").asInt();
                default -> {}
            }
        }
        return new Exec(exit, out.toString());
    }

    /** Every usage sample on the topic up to now whose key matches (waits {@code settle} for samples in flight). */
    private List<JsonNode> samplesOf(Predicate<String> key, Duration settle) throws Exception {
        Thread.sleep(settle.toMillis());
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.kafka());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<JsonNode> samples = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            var partitions = consumer.partitionsFor(Topics.USAGE_SAMPLES).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            var end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (System.nanoTime() < deadline
                    && partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (var record : consumer.poll(Duration.ofMillis(300))) {
                    if (record.key() != null && key.test(record.key())) {
                        samples.add(json.readTree(record.value()));
                    }
                }
            }
        }
        return samples;
    }

    private List<String> runscList() throws Exception {
        Process p = new ProcessBuilder(
                        TestSandboxes.RUNSC, "--root", STATE.resolve("runsc").toString(), "list", "-quiet")
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return List.of(out.trim().split("\\s+"));
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(
                credential
                        .sign(HttpRequest.newBuilder(uri(path)))
                        .header("content-type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
