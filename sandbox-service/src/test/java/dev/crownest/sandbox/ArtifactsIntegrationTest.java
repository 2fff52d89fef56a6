package dev.crownest.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crownest.contracts.event.Topics;
import dev.crownest.contracts.security.InternalHeaders;
import dev.crownest.kit.auth.ServiceCredential;
import dev.crownest.sandbox.node.NodeStandIn;
import dev.crownest.testing.IntegrationTest;
import dev.crownest.testing.TestInfrastructure;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Artifacts at sandbox-service against real PostgreSQL and Kafka, with this test in the execution
 * worker's place (uploads as it makes them: HTTP/1.1, {@code Expect: 100-continue}): a run declares
 * files, uploads are stored and indexed once per path, the finished record lists them with the collect
 * errors, the events reach Kafka, and the list, metadata and bytes stay readable after the kill, for
 * their tenant (and project) only.
 */
@IntegrationTest(database = "sandbox_artifacts_test_")
class ArtifactsIntegrationTest {
    private static final long MAX_BYTES = 1024 * 1024;
    private static final Path STORE;

    static {
        try {
            STORE = Files.createTempDirectory("crownest-artifacts-it");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** sandbox-service starts a create on its node itself: this plays the node. */
    static final NodeStandIn NODE = new NodeStandIn();

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        // no heartbeats come from a stand-in node: it must not be lost while the test runs
        registry.add("crownest.nodes.heartbeat-timeout", () -> "1h");
        registry.add("crownest.metering.url", () -> "");
        registry.add("crownest.node-agent.url", NODE::url);
        registry.add("crownest.artifacts.dir", STORE::toString);
        registry.add("crownest.artifacts.max-bytes", () -> MAX_BYTES + "B");
    }

    @LocalServerPort
    int port;

    @Autowired
    ServiceCredential credential;

    @Autowired
    ObjectMapper json;

    @Autowired
    JdbcClient jdbc;

    private final HttpClient http = HttpClient.newHttpClient();
    /** As the worker uploads: HTTP/1.1, so that 100-continue is what Tomcat sees. */
    private final HttpClient worker =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void collectedFilesAreIndexedOnceListedOnTheCommandAndOutliveTheSandbox() throws Exception {
        String tenant = "it-" + UUID.randomUUID();
        String sandboxId = runningSandbox(tenant, "prj_one");
        try (KafkaConsumer<String, String> events = consumer(Topics.COMMAND_EVENTS)) {
            HttpResponse<String> run =
                    call("POST", "/internal/sandboxes/" + sandboxId + "/commands?wait=false", tenant, """
                    {"cmd":"make","collect":["out/a.txt",{"path":"/workspace/b","name":"result.json"},"missing.txt"]}""");
            assertThat(run.statusCode()).as(run.body()).isEqualTo(202);
            JsonNode running = json.readTree(run.body());
            String commandId = running.get("id").asText();
            assertThat(running.at("/collect/0/path").asText()).isEqualTo("out/a.txt");
            assertThat(running.at("/collect/1").toString()).isEqualTo("{\"path\":\"b\",\"name\":\"result.json\"}");
            JsonNode started =
                    json.readTree(recordOf(events, commandId, "CommandStarted").value());
            assertThat(started.get("collect").toString())
                    .as("the worker learns the normalized list")
                    .isEqualTo(running.get("collect").toString());

            byte[] a = randomBytes(200_000, 1);
            HttpResponse<String> first = upload(commandId, "out/a.txt", a, true);
            assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
            JsonNode artifactA = json.readTree(first.body());
            assertThat(artifactA.get("id").asText()).matches("art_[a-z0-9]{20}");
            assertThat(artifactA.get("size").asLong()).isEqualTo(a.length);
            assertThat(artifactA.get("sha256").asText()).isEqualTo(sha256(a));
            assertThat(artifactA.get("contentType").asText()).isEqualTo("text/plain");
            assertThat(artifactA.get("name").asText()).isEqualTo("a.txt");
            assertThat(artifactA.get("projectId").asText()).isEqualTo("prj_one");
            // a retried upload: the same artifact, nothing stored twice
            HttpResponse<String> again = upload(commandId, "out/a.txt", randomBytes(10, 2), true);
            assertThat(again.statusCode()).isEqualTo(200);
            assertThat(json.readTree(again.body()).get("id").asText())
                    .isEqualTo(artifactA.get("id").asText());
            assertThat(objectsOf(tenant)).hasSize(1);

            assertThat(errorCode(upload(commandId, "c.txt", new byte[1], true))).isEqualTo("path_not_declared");
            byte[] b = "{\"ok\":true}".getBytes();
            HttpResponse<String> chunked = upload(commandId, "b", b, false);
            assertThat(chunked.statusCode()).as(chunked.body()).isEqualTo(201);
            assertThat(json.readTree(chunked.body()).get("contentType").asText())
                    .isEqualTo("application/json");
            String artifactB = json.readTree(chunked.body()).get("id").asText();

            HttpResponse<String> finished =
                    call("POST", "/internal/reports/commands/" + commandId + "/finished", null, """
                    {"exitCode":0,"stdout":"","stderr":"","truncated":false,"timedOut":false,
                     "collectErrors":[{"path":"missing.txt","code":"file_not_found","message":"no such file"}]}""");
            assertThat(finished.statusCode()).as(finished.body()).isEqualTo(200);
            JsonNode command = json.readTree(
                    call("GET", "/internal/sandboxes/" + sandboxId + "/commands/" + commandId, tenant, null)
                            .body());
            assertThat(command.get("status").asText()).isEqualTo("finished");
            assertThat(command.get("artifacts")).hasSize(2);
            assertThat(command.at("/artifacts/0/id").asText())
                    .isEqualTo(artifactA.get("id").asText());
            assertThat(command.at("/artifacts/1/name").asText()).isEqualTo("result.json");
            assertThat(command.get("collectErrors").toString())
                    .isEqualTo("[{\"path\":\"missing.txt\",\"code\":\"file_not_found\",\"message\":\"no such file\"}]");
            JsonNode listed = json.readTree(call("GET", "/internal/sandboxes/" + sandboxId + "/commands", tenant, null)
                    .body());
            assertThat(listed.at("/data/0/artifacts")).hasSize(2);
            assertThat(errorCode(upload(commandId, "missing.txt", new byte[1], true)))
                    .isEqualTo("command_finished");

            List<String> collectedEvents = new ArrayList<>();
            collectedEvents.add(json.readTree(
                            recordOf(events, commandId, "ArtifactCollected").value())
                    .get("artifactId")
                    .asText());
            collectedEvents.add(json.readTree(
                            recordOf(events, commandId, "ArtifactCollected").value())
                    .get("artifactId")
                    .asText());
            assertThat(collectedEvents)
                    .containsExactlyInAnyOrder(artifactA.get("id").asText(), artifactB);

            // the kill does not take the artifacts along
            assertThat(call("DELETE", "/internal/sandboxes/" + sandboxId, tenant, null)
                            .statusCode())
                    .isEqualTo(200);
            String base = "/internal/sandboxes/" + sandboxId + "/artifacts";
            JsonNode page =
                    json.readTree(call("GET", base + "?limit=1", tenant, null).body());
            assertThat(page.get("data")).hasSize(1);
            JsonNode rest = json.readTree(call(
                            "GET",
                            base + "?limit=1&cursor=" + page.get("nextCursor").asText(),
                            tenant,
                            null)
                    .body());
            assertThat(List.of(
                            page.at("/data/0/id").asText(),
                            rest.at("/data/0/id").asText()))
                    .containsExactlyInAnyOrder(artifactA.get("id").asText(), artifactB);
            assertThat(json.readTree(call("GET", base + "?commandId=cmd_other", tenant, null)
                                    .body())
                            .get("data"))
                    .isEmpty();

            String aId = artifactA.get("id").asText();
            assertThat(json.readTree(call("GET", base + "/" + aId, tenant, null).body())
                            .get("sha256")
                            .asText())
                    .isEqualTo(sha256(a));
            HttpResponse<byte[]> content = http.send(
                    request("GET", base + "/" + aId + "/content", tenant, null).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(content.statusCode()).isEqualTo(200);
            assertThat(content.body()).isEqualTo(a);
            assertThat(content.headers().firstValue("etag")).contains("\"" + sha256(a) + "\"");
            assertThat(content.headers().firstValueAsLong("content-length")).hasValue(a.length);
            assertThat(content.headers().firstValue("content-type").orElseThrow())
                    .startsWith("text/plain");
            assertThat(content.headers().firstValue("content-disposition").orElseThrow())
                    .contains("a.txt");

            // another tenant, another project: not found
            for (HttpRequest.Builder foreign : List.of(
                    request("GET", base, "other-" + tenant, null),
                    request("GET", base + "/" + aId, "other-" + tenant, null),
                    request("GET", base + "/" + aId + "/content", "other-" + tenant, null),
                    request("GET", base + "/" + aId + "/content", tenant, null)
                            .header(InternalHeaders.PROJECT_ID, "prj_two"))) {
                HttpResponse<String> answer = http.send(foreign.build(), HttpResponse.BodyHandlers.ofString());
                assertThat(answer.statusCode()).isEqualTo(404);
                assertThat(errorCode(answer)).isEqualTo("sandbox_not_found");
            }
            assertThat(errorCode(call("GET", base + "/art_none", tenant, null))).isEqualTo("artifact_not_found");
        }
    }

    @Test
    void aFileOverTheLimitIsRefusedAndLeavesNothing() throws Exception {
        String tenant = "it-" + UUID.randomUUID();
        String sandboxId = runningSandbox(tenant, null);
        HttpResponse<String> run = call(
                "POST",
                "/internal/sandboxes/" + sandboxId + "/commands?wait=false",
                tenant,
                "{\"cmd\":\"make\",\"collect\":[\"big\",\"exact\"]}");
        String commandId = json.readTree(run.body()).get("id").asText();

        HttpResponse<String> known = upload(commandId, "big", new byte[(int) MAX_BYTES + 1], true);
        assertThat(known.statusCode()).isEqualTo(413);
        assertThat(errorCode(known)).isEqualTo("artifact_too_large");
        try {
            HttpResponse<String> unknown = upload(commandId, "big", new byte[(int) MAX_BYTES + 1], false);
            assertThat(unknown.statusCode()).isEqualTo(413);
        } catch (IOException closedMidBody) {
            // a length the server only learns by counting: it may close while the client still sends
        }
        assertThat(upload(commandId, "exact", new byte[(int) MAX_BYTES], false).statusCode())
                .isEqualTo(201);

        assertThat(objectsOf(tenant)).hasSize(1);
        try (var incoming = Files.list(STORE.resolve(".incoming"))) {
            assertThat(incoming.toList()).isEmpty();
        }
        assertThat(jdbc.sql("SELECT count(*) FROM artifact_view WHERE tenant_id = :t")
                        .param("t", tenant)
                        .query(Long.class)
                        .single())
                .isEqualTo(1);
    }

    @Test
    void collectPathsOutsideTheWorkspaceAreA400AndRunNothing() throws Exception {
        String tenant = "it-" + UUID.randomUUID();
        String sandboxId = runningSandbox(tenant, null);
        for (String collect :
                List.of("[\"../x\"]", "[\"/etc/passwd\"]", "[{\"path\":\"a\",\"name\":\"../b\"}]", "[\"a\",\"./a\"]")) {
            HttpResponse<String> refused = call(
                    "POST",
                    "/internal/sandboxes/" + sandboxId + "/commands?wait=false",
                    tenant,
                    "{\"cmd\":\"make\",\"collect\":" + collect + "}");
            assertThat(refused.statusCode()).as(collect).isEqualTo(400);
            assertThat(errorCode(refused)).as(collect).matches("invalid_collect_(path|name)|duplicate_collect_path");
        }
        assertThat(jdbc.sql("SELECT count(*) FROM command_view WHERE tenant_id = :t")
                        .param("t", tenant)
                        .query(Long.class)
                        .single())
                .isZero();
    }

    private String runningSandbox(String tenant, String projectId) throws Exception {
        var create = http.sendAsync(
                request("POST", "/internal/sandboxes", tenant, "{\"ttlMs\":600000}")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        String sandboxId = await().atMost(Duration.ofSeconds(10))
                .until(
                        () -> jdbc.sql("SELECT id FROM sandbox_view WHERE tenant_id = :t")
                                .param("t", tenant)
                                .query(String.class)
                                .optional()
                                .orElse(null),
                        id -> id != null);
        // projects are identity's business; the read model's column is what the artifact checks read
        jdbc.sql("UPDATE sandbox_view SET project_id = :p WHERE id = :id")
                .param("p", projectId)
                .param("id", sandboxId)
                .update();
        call("POST", "/internal/reports/sandboxes/" + sandboxId + "/started", null, "{\"nodeId\":\"node-1\"}");
        assertThat(create.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(201);
        return sandboxId;
    }

    private HttpResponse<String> upload(String commandId, String path, byte[] content, boolean knownLength)
            throws Exception {
        HttpRequest.BodyPublisher body = knownLength
                ? HttpRequest.BodyPublishers.ofByteArray(content)
                : HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(content));
        return worker.send(
                credential
                        .sign(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + port + "/internal/reports/commands/" + commandId
                                        + "/artifacts?path="
                                        + URLEncoder.encode(path, StandardCharsets.UTF_8))))
                        .timeout(Duration.ofSeconds(30))
                        .expectContinue(true)
                        .header("content-type", "application/octet-stream")
                        .PUT(body)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private List<Path> objectsOf(String tenant) throws IOException {
        Path dir = STORE.resolve(tenant);
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (var files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    private HttpResponse<String> call(String method, String path, String tenant, String body) throws Exception {
        return http.send(request(method, path, tenant, body).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String method, String path, String tenant, String body) {
        HttpRequest.Builder request = credential
                .sign(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)))
                .timeout(Duration.ofSeconds(40))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (tenant != null) {
            request.header(InternalHeaders.TENANT_ID, tenant).header(InternalHeaders.ACTOR, "key_it");
        }
        return request;
    }

    private String errorCode(HttpResponse<String> answer) throws IOException {
        return json.readTree(answer.body()).at("/error/code").asText();
    }

    private KafkaConsumer<String, String> consumer(String topic) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.kafka());
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "sandbox-artifacts-it-" + UUID.randomUUID());
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 20);
        KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(properties, new StringDeserializer(), new StringDeserializer());
        consumer.subscribe(List.of(topic));
        return consumer;
    }

    /** The next record of this command of {@code type}, read from where the consumer is. */
    private ConsumerRecord<String, String> recordOf(
            KafkaConsumer<String, String> consumer, String commandId, String type) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, String> record : pending) {
                if (matches(record, commandId, type)) {
                    pending.remove(record);
                    return record;
                }
            }
            consumer.poll(Duration.ofMillis(100)).forEach(pending::add);
        }
        throw new AssertionError("no " + type + " of " + commandId + " within 30 s");
    }

    private final List<ConsumerRecord<String, String>> pending = new ArrayList<>();

    private boolean matches(ConsumerRecord<String, String> record, String commandId, String type) {
        try {
            Map<?, ?> value = json.readValue(record.value(), Map.class);
            return commandId.equals(value.get("commandId")) && type.equals(value.get("type"));
        } catch (Exception notOurs) {
            return false;
        }
    }

    private static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
