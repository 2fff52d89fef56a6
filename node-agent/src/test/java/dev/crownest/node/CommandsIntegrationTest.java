package dev.crownest.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crownest.contracts.event.Topics;
import dev.crownest.kit.auth.ServiceCredential;
import dev.crownest.node.NodeAgentClient.Exec;
import dev.crownest.nodeclient.protocol.ExecFrames;
import dev.crownest.testing.IntegrationTest;
import dev.crownest.testing.TestInfrastructure;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Commands on real sandboxes: cancel, backpressure, and code in the python and node templates. */
@IntegrationTest
class CommandsIntegrationTest {
    static final Path STATE = TestSandboxes.stateDir("node-commands");

    @DynamicPropertySource
    static void node(DynamicPropertyRegistry registry) {
        TestSandboxes.register(registry, STATE);
    }

    @LocalServerPort
    int port;

    @Autowired
    ServiceCredential credential;

    @AfterAll
    static void removeState() throws Exception {
        TestSandboxes.remove(STATE);
    }

    /**
     * Each command's answer is written on a thread of its own while the command runs. With Spring's
     * default executor for that (8 threads, then a queue), a ninth command waited until one of eight long
     * ones ended; on virtual threads it does not wait.
     */
    @Test
    void aQuickCommandRunsAtOnceBesideManyLongOnes() throws Exception {
        try (var sandbox = TestSandboxes.start(port, "base", 1, 256, 0)) {
            NodeAgentClient client = sandbox.client();
            List<CompletableFuture<Exec>> longRuns = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                String cmd = "sleep 20; echo long-" + i;
                longRuns.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return client.exec(sandbox.id(), cmd, 60_000);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }));
            }
            awaitCount(sandbox, "sleep 20", 12);
            long t0 = System.nanoTime();
            Exec quick = client.exec(sandbox.id(), "echo quick", 30_000);
            long tookMs = (System.nanoTime() - t0) / 1_000_000;
            assertThat(quick.stdout()).isEqualTo("quick\n");
            assertThat(tookMs).as("a quick command beside 12 long ones").isLessThan(10_000);
            for (int i = 0; i < longRuns.size(); i++) {
                assertThat(longRuns.get(i).get(60, TimeUnit.SECONDS).stdout()).isEqualTo("long-" + i + "\n");
            }
        }
    }

    /** Waits until {@code count} processes of the sandbox run {@code args}. */
    private static void awaitCount(TestSandboxes.Sandbox sandbox, String args, int count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (sandbox.exec("ps -eo args", 10_000)
                        .stdout()
                        .lines()
                        .filter(args::equals)
                        .count()
                < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(count + " processes '" + args + "' not running within 30 s");
            }
            Thread.sleep(200);
        }
    }

    @Test
    void cancelKillsTheWholeProcessGroupAndTheExitSaysSo() throws Exception {
        try (var sandbox = TestSandboxes.start(port, "base", 1, 256, 0)) {
            NodeAgentClient client = sandbox.client();
            CompletableFuture<Exec> running = CompletableFuture.supplyAsync(() -> {
                try {
                    return client.exec(sandbox.id(), "cmd-1", "sleep 301 & sleep 302; echo never", 60_000);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            awaitProcess(sandbox, "sleep 302");
            long t0 = System.nanoTime();
            HttpResponse<String> cancel = client.post("/node/v1/sandboxes/" + sandbox.id() + "/exec/cmd-1/cancel", "");
            assertThat(cancel.statusCode()).as(cancel.body()).isEqualTo(202);
            Exec ended = running.get(20, TimeUnit.SECONDS);
            System.out.printf(
                    "cancel: the exec stream ended %d ms after the cancel request%n",
                    (System.nanoTime() - t0) / 1_000_000);
            assertThat(ended.cancelled()).isTrue();
            assertThat(ended.timedOut()).isFalse();
            assertThat(ended.exitCode()).isEqualTo(137);
            assertThat(ended.stdout()).doesNotContain("never");
            assertThat(sandbox.exec("ps -eo args", 10_000).stdout())
                    .doesNotContain("sleep 301")
                    .doesNotContain("sleep 302");
            assertThat(client.post("/node/v1/sandboxes/" + sandbox.id() + "/exec/cmd-1/cancel", "")
                            .statusCode())
                    .isEqualTo(404);
        }
    }

    @Test
    void aWatchGetsEveryByteAndTheExitWhateverItsRunnerTakesAndARefusedRunEndsIt() throws Exception {
        try (var sandbox = TestSandboxes.start(port, "base", 1, 256, 0)) {
            HttpClient http = HttpClient.newHttpClient();
            Function<String, HttpResponse<InputStream>> watch = commandId -> {
                try {
                    return http.send(
                            credential
                                    .sign(HttpRequest.newBuilder(
                                            URI.create("http://127.0.0.1:" + port + "/node/v1/sandboxes/" + sandbox.id()
                                                    + "/exec/" + commandId + "/output?waitMs=20000")))
                                    .header("accept", ExecFrames.MEDIA_TYPE)
                                    .build(),
                            HttpResponse.BodyHandlers.ofInputStream());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            };
            // the headers come back at once: the watch is in place before the command exists
            HttpResponse<InputStream> watching = watch.apply("cmd-watched");
            assertThat(watching.statusCode()).isEqualTo(200);
            // a watcher slower than the runner: its queue is full when the command ends, and still nothing is lost
            CompletableFuture<Map<Byte, ByteArrayOutputStream>> watched = CompletableFuture.supplyAsync(() -> {
                Map<Byte, ByteArrayOutputStream> streams = new HashMap<>();
                try (InputStream frames = new BufferedInputStream(watching.body())) {
                    for (ExecFrames.Frame frame; (frame = ExecFrames.read(frames)) != null; ) {
                        streams.computeIfAbsent(frame.type(), t -> new ByteArrayOutputStream())
                                .writeBytes(frame.payload());
                        Thread.sleep(100);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                return streams;
            });
            Exec run = sandbox.client()
                    .exec(
                            sandbox.id(),
                            "cmd-watched",
                            "head -c 30000000 /dev/zero | tr '\\0' 'w' > /tmp/w && cat /tmp/w; printf oops >&2; exit 7",
                            60_000);
            assertThat(run.exitCode()).isEqualTo(7);
            Map<Byte, ByteArrayOutputStream> streams = watched.get(60, TimeUnit.SECONDS);
            String stdout = streams.get(ExecFrames.STDOUT).toString(StandardCharsets.US_ASCII);
            assertThat(stdout.length()).isEqualTo(30_000_000);
            assertThat(stdout).matches("w+");
            assertThat(stdout).isEqualTo(run.stdout());
            assertThat(streams.get(ExecFrames.STDERR).toString(StandardCharsets.UTF_8))
                    .isEqualTo("oops");
            assertThat(streams.get(ExecFrames.EXIT).toString(StandardCharsets.UTF_8))
                    .contains("\"exitCode\":7");

            // a runner that asked for at most 10 bytes of each stream gets those; its watch gets everything
            HttpResponse<InputStream> watchingLimited = watch.apply("cmd-limited");
            HttpResponse<String> limited = sandbox.client()
                    .post(
                            "/node/v1/sandboxes/" + sandbox.id() + "/exec",
                            "{\"commandId\":\"cmd-limited\",\"cmd\":\"printf 0123456789abcdef; printf ERR >&2\",\"outputLimit\":10}");
            Exec capped = NodeAgentClient.readExec(
                    new ByteArrayInputStream(limited.body().getBytes(StandardCharsets.UTF_8)));
            assertThat(capped.stdout()).isEqualTo("0123456789");
            assertThat(capped.stderr()).isEqualTo("ERR");
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            try (InputStream frames = watchingLimited.body()) {
                for (ExecFrames.Frame frame; (frame = ExecFrames.read(frames)) != null; ) {
                    if (frame.type() == ExecFrames.STDOUT) {
                        all.writeBytes(frame.payload());
                    }
                }
            }
            assertThat(all.toString(StandardCharsets.US_ASCII)).isEqualTo("0123456789abcdef");

            // a run the node refuses (no command line) ends the watch waiting for it, long before its 20 s
            HttpResponse<InputStream> refusedWatch = watch.apply("cmd-refused");
            assertThat(sandbox.client()
                            .exec(sandbox.id(), "cmd-refused", " ", 10_000)
                            .status())
                    .isEqualTo(400);
            long t0 = System.nanoTime();
            assertThat(refusedWatch.body().readAllBytes()).isEmpty();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void aSlowReaderHoldsTheCommandBackAndLeavingEndsIt() throws Exception {
        try (var sandbox = TestSandboxes.start(port, "base", 1, 256, 0)) {
            // 64 MiB of output, then a mark: the mark appears only if the output was all taken.
            HttpResponse<InputStream> res = sandbox.client()
                    .execStream(
                            sandbox.id(),
                            "cmd-slow",
                            "head -c 64m /dev/zero; touch /workspace/finished; sleep 60",
                            120_000);
            assertThat(res.statusCode()).isEqualTo(200);
            InputStream body = res.body();
            assertThat(body.read(new byte[1024])).isPositive();
            Thread.sleep(3000);
            Path finished = STATE.resolve("sandboxes").resolve(sandbox.id()).resolve("workspace/finished");
            assertThat(finished).doesNotExist();
            assertThat(sandbox.exec("ps -eo args", 10_000).stdout()).contains("head -c 64m");
            body.close(); // the caller goes away: the command is killed, not left running unseen
            Awaitility.await()
                    .atMost(Duration.ofSeconds(20))
                    .untilAsserted(
                            () -> assertThat(sandbox.exec("ps -eo args", 10_000).stdout())
                                    .doesNotContain("head -c 64m")
                                    .doesNotContain("sleep 60"));
        }
    }

    @Test
    void pythonAndNodeRunInTheirTemplates() throws Exception {
        try (var python = TestSandboxes.start(port, "python", 1, 512, 0)) {
            Exec py = python.exec(
                    "python3 -c 'import sys, json; print(json.dumps({\"v\": sys.version_info[0], \"sum\": sum(range(10))}))'"
                            + " && python3 -m venv /workspace/venv && /workspace/venv/bin/pip --version",
                    120_000);
            assertThat(py.exitCode()).as(py.stderr()).isZero();
            assertThat(py.stdout()).startsWith("{\"v\": 3, \"sum\": 45}\n").contains("pip ");
        }
        try (var node = TestSandboxes.start(port, "node", 1, 512, 0)) {
            Exec js = node.exec(
                    "node -e 'console.log(JSON.stringify({sum: [1,2,3].reduce((a, b) => a + b)}))' && npm --version",
                    120_000);
            assertThat(js.exitCode()).as(js.stderr()).isZero();
            assertThat(js.stdout()).startsWith("{\"sum\":6}\n");
        }
    }

    @Test
    void usageSamplesCarryCpuAndMemoryFromTheSandboxCgroup() throws Exception {
        try (var sandbox = TestSandboxes.start(port, "base", 1, 256, 0)) {
            sandbox.exec("timeout 2 sh -c 'while :; do :; done'; true", 10_000);
            Properties props = new Properties();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.kafka());
            props.put(ConsumerConfig.GROUP_ID_CONFIG, "node-usage-test-" + UUID.randomUUID());
            props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            double cpuSeconds = 0;
            long memoryBytes = 0;
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
                consumer.subscribe(List.of(Topics.USAGE_SAMPLES));
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (System.nanoTime() < deadline && (cpuSeconds < 0.5 || memoryBytes == 0)) {
                    for (var record : consumer.poll(Duration.ofMillis(300))) {
                        if (sandbox.id().equals(record.key())) {
                            var sample = NodeAgentClient.json(record.value());
                            cpuSeconds += sample.path("cpuSeconds").asDouble();
                            memoryBytes = Math.max(
                                    memoryBytes, sample.path("memoryUsedBytes").asLong());
                        }
                    }
                }
            }
            System.out.printf(
                    "usage samples: %.2f cpu seconds in all, memory up to %d bytes%n", cpuSeconds, memoryBytes);
            assertThat(cpuSeconds).isGreaterThan(0.5); // the 2 s busy loop, at up to 1 vCPU
            assertThat(memoryBytes).isPositive().isLessThanOrEqualTo(256L * 1024 * 1024);
        }
    }

    private static void awaitProcess(TestSandboxes.Sandbox sandbox, String args) {
        Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .untilAsserted(() ->
                        assertThat(sandbox.exec("ps -eo args", 10_000).stdout()).contains(args));
    }
}
