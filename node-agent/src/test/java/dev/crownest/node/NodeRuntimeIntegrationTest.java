package dev.crownest.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crownest.contracts.event.Topics;
import dev.crownest.kit.auth.ServiceCredential;
import dev.crownest.testing.IntegrationTest;
import dev.crownest.testing.TestInfrastructure;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The node agent driving real gVisor sandboxes with runsc: no mocks. */
@IntegrationTest
class NodeRuntimeIntegrationTest {
    private static final Path STATE = TestSandboxes.stateDir("node-agent-test");

    @DynamicPropertySource
    static void node(DynamicPropertyRegistry registry) {
        TestSandboxes.register(registry, STATE);
    }

    @LocalServerPort
    int port;

    @Autowired
    ServiceCredential credential;

    @Autowired
    ObjectMapper json;

    private final HttpClient http = HttpClient.newHttpClient();

    @AfterAll
    static void removeState() throws Exception {
        TestSandboxes.remove(STATE);
    }

    @Test
    void runsCommandsInsideGvisorAndLeavesNothingBehind() throws Exception {
        String id = "sbx_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
        HttpResponse<String> created =
                post("/node/v1/sandboxes", """
                {"sandboxId":"%s","tenantId":"t1","template":"base","cpu":1,"memoryMb":512,"network":"off",
                 "env":{"GREETING":"hello"},"expiresAt":"%s"}""".formatted(id, Instant.now().plusSeconds(120)));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        // idempotent by id
        assertThat(post("/node/v1/sandboxes", """
                {"sandboxId":"%s","tenantId":"t1","template":"base","cpu":1,"memoryMb":512,"network":"off"}""".formatted(id)).statusCode()).isEqualTo(201);

        Exec hello = exec(id, "echo $GREETING && uname -r && echo oops >&2", 10_000);
        assertThat(hello.exitCode).isZero();
        assertThat(hello.stdout).startsWith("hello\n");
        assertThat(hello.stdout.split("\n")[1]).isNotEqualTo(hostKernel());
        assertThat(hello.stderr).isEqualTo("oops\n");

        assertThat(exec(id, "no-such-command", 10_000).exitCode).isEqualTo(127);

        assertThat(exec(id, "echo kept > /workspace/note", 10_000).exitCode).isZero();
        assertThat(exec(id, "cat note", 10_000).stdout).isEqualTo("kept\n");
        assertThat(exec(id, "cat /etc/hostname; ls /root/.cache 2>&1 | head -1", 10_000).stdout)
                .doesNotContain("crownest");

        long t0 = System.nanoTime();
        Exec slow = exec(id, "sleep 30", 500);
        assertThat(slow.timedOut).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));

        assertThat(usageSampleArrives(id)).isTrue();

        HttpResponse<String> deleted = http.send(
                credential
                        .sign(HttpRequest.newBuilder(uri("/node/v1/sandboxes/" + id)))
                        .DELETE()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(deleted.statusCode()).isEqualTo(204);
        assertThat(runscList()).doesNotContain(id);
        assertThat(exec(id, "true", 1000).status).isEqualTo(404);
    }

    @Test
    void unknownTemplateIs400AndCreatesNothing() throws Exception {
        String id = "sbx_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
        HttpResponse<String> res = post("/node/v1/sandboxes", """
                {"sandboxId":"%s","tenantId":"t1","template":"../../etc","cpu":1,"memoryMb":512}""".formatted(id));
        assertThat(res.statusCode()).isEqualTo(400);
        assertThat(json.readTree(res.body()).path("error").path("code").asText())
                .isEqualTo("unknown_template");
        assertThat(runscList()).doesNotContain(id);
        assertThat(STATE.resolve("sandboxes").resolve(id)).doesNotExist();
    }

    private record Exec(int status, int exitCode, boolean timedOut, String stdout, String stderr) {}

    private Exec exec(String id, String cmd, long timeoutMs) throws Exception {
        HttpResponse<String> res = post(
                "/node/v1/sandboxes/" + id + "/exec",
                json.writeValueAsString(Map.of("commandId", "c", "cmd", cmd, "timeoutMs", timeoutMs)));
        if (res.statusCode() != 200) {
            return new Exec(res.statusCode(), -1, false, "", "");
        }
        StringBuilder out = new StringBuilder();
        StringBuilder err = new StringBuilder();
        int exit = -1;
        boolean timedOut = false;
        for (String line : res.body().split("\n")) {
            JsonNode chunk = json.readTree(line);
            switch (chunk.path("stream").asText()) {
                case "stdout" -> out.append(decode(chunk));
                case "stderr" -> err.append(decode(chunk));
                case "exit" -> {
                    exit = chunk.path("exitCode").asInt();
                    timedOut = chunk.path("timedOut").asBoolean();
                }
                default -> throw new AssertionError("unexpected chunk " + line);
            }
        }
        return new Exec(200, exit, timedOut, out.toString(), err.toString());
    }

    private static String decode(JsonNode chunk) {
        return new String(Base64.getDecoder().decode(chunk.path("data").asText()), StandardCharsets.UTF_8);
    }

    private boolean usageSampleArrives(String sandboxId) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.kafka());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "node-test-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of(Topics.USAGE_SAMPLES));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (System.nanoTime() < deadline) {
                for (var record : consumer.poll(Duration.ofMillis(300))) {
                    if (sandboxId.equals(record.key())) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private String runscList() throws Exception {
        return NodeAgentClient.runscList(STATE);
    }

    private static String hostKernel() throws Exception {
        Process p = new ProcessBuilder("uname", "-r").start();
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
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
