package dev.crownest.systemtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The spine, end to end through the public API against the real stack: a gVisor sandbox is created,
 * runs a command blocking and streamed, is killed; its events are in the PostgreSQL event store, on
 * Kafka, in the audit log, and its seconds are metered.
 */
class SandboxLifecycleTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static PlatformClient api;

    @BeforeAll
    static void connect() {
        api = SystemUnderTest.client();
    }

    @Test
    void sandboxRunsCommandsInGvisorAndLeavesEventsAuditAndUsage() throws Exception {
        PlatformClient.Answer created = api.createSandbox("base");
        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        String id = created.text("id");
        assertThat(created.text("status")).isEqualTo("running");
        assertThat(created.text("template")).isEqualTo("base");
        assertThat(created.body().path("createdAt").asText()).isNotBlank();
        assertThat(created.body().path("expiresAt").asText()).isNotBlank();

        PlatformClient.Answer ran = api.run(id, "echo hello && uname -r");
        assertThat(ran.status()).as(ran.raw()).isEqualTo(200);
        assertThat(ran.body().path("exitCode").asInt()).isZero();
        String[] lines = ran.text("stdout").split("\n");
        assertThat(lines[0]).isEqualTo("hello");
        // gVisor reports its own kernel version, not the host's.
        assertThat(lines[1]).isNotBlank().isNotEqualTo(hostKernel());
        assertThat(ran.body().path("durationMs").asLong()).isGreaterThanOrEqualTo(0);
        assertThat(ran.body().path("truncated").asBoolean()).isFalse();

        List<PlatformClient.Sse> events = new ArrayList<>();
        int status = api.stream(id, "echo hello && uname -r", events::add);
        assertThat(status).isEqualTo(200);
        String streamed = events.stream()
                .filter(e -> e.event().equals("stdout"))
                .map(e -> e.data().path("data").asText())
                .reduce("", String::concat);
        assertThat(streamed).startsWith("hello\n").contains(lines[1]);
        PlatformClient.Sse exit = events.getLast();
        assertThat(exit.event()).isEqualTo("exit");
        assertThat(exit.data().path("exitCode").asInt()).isZero();

        PlatformClient.Answer missing = api.run(id, "no-such-command-anywhere");
        assertThat(missing.status()).isEqualTo(200);
        assertThat(missing.body().path("exitCode").asInt()).isEqualTo(127);

        PlatformClient.Answer records = api.get("/v1/sandboxes/" + id + "/commands");
        assertThat(records.status()).isEqualTo(200);
        assertThat(records.body().path("data")).hasSize(3);
        String commandId = ran.text("id");
        PlatformClient.Answer record = api.get("/v1/sandboxes/" + id + "/commands/" + commandId);
        assertThat(record.body().path("exitCode").asInt()).isZero();
        assertThat(record.text("stdout")).startsWith("hello\n");

        // Let the meter see a few running seconds before the kill.
        await().atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(api.get("/v1/usage?sandboxId=" + id)
                                .body()
                                .path("totals")
                                .path("computeUnitSeconds")
                                .asDouble())
                        .isGreaterThan(0));

        PlatformClient.Answer killed = api.delete("/v1/sandboxes/" + id);
        assertThat(killed.status()).as(killed.raw()).isEqualTo(200);
        assertThat(killed.text("status")).isEqualTo("killed");
        assertThat(api.get("/v1/sandboxes/" + id).text("status")).isEqualTo("killed");
        assertThat(api.run(id, "true").status()).isEqualTo(409);

        assertThat(eventStoreTypes(id)).containsSubsequence("SandboxCreated", "SandboxStarted", "SandboxKilled");
        assertThat(kafkaEventTypes("sandbox-events", id)).contains("SandboxCreated", "SandboxStarted", "SandboxKilled");
        assertThat(kafkaEventTypes("command-events", id)).contains("CommandStarted", "CommandFinished");

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode audit = api.get("/v1/audit/events?resourceId=" + id).body().path("data");
            Set<String> actions = new TreeSet<>();
            audit.forEach(e -> actions.add(e.path("action").asText()));
            assertThat(actions).contains("sandbox.created", "sandbox.started", "sandbox.killed");
        });
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode audit =
                    api.get("/v1/audit/events?resourceId=" + commandId).body().path("data");
            Set<String> actions = new TreeSet<>();
            audit.forEach(e -> actions.add(e.path("action").asText()));
            assertThat(actions).contains("command.started", "command.finished");
        });
        JsonNode usage = api.get("/v1/usage?sandboxId=" + id).body();
        assertThat(usage.path("totals").path("pricingVersion").asText()).isNotBlank();
        assertThat(usage.path("totals").path("amount").decimalValue()).isPositive();
    }

    private static String hostKernel() throws Exception {
        Process p = new ProcessBuilder("uname", "-r").start();
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    }

    /** Payload types of the sandbox's aggregate in Axon's event store, in sequence order. */
    private static List<String> eventStoreTypes(String sandboxId) throws Exception {
        List<String> types = new ArrayList<>();
        try (var db = SystemUnderTest.database("crownest_sandbox");
                var q = db.prepareStatement(
                        "select payload_type from domain_event_entry where aggregate_identifier = ? order by sequence_number")) {
            q.setString(1, sandboxId);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    String type = rs.getString(1);
                    types.add(type.substring(type.lastIndexOf('$') + 1));
                }
            }
        }
        return types;
    }

    /** Types of the events about {@code sandboxId} on a topic, read from the beginning. */
    private static List<String> kafkaEventTypes(String topic, String sandboxId) throws Exception {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SystemUnderTest.kafka());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<String> types = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))
                    && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    JsonNode event = JSON.readTree(r.value());
                    if (sandboxId.equals(event.path("sandboxId").asText())) {
                        types.add(event.path("type").asText());
                    }
                }
            }
        }
        return types;
    }
}
