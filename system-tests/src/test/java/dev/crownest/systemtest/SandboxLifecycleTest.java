package dev.crownest.systemtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crownest.sdk.CommandRecord;
import dev.crownest.sdk.CommandResult;
import dev.crownest.sdk.CrowNest;
import dev.crownest.sdk.RawEvent;
import dev.crownest.sdk.RawResponse;
import dev.crownest.sdk.Sandbox;
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
    private static CrowNest api;

    @BeforeAll
    static void connect() {
        api = SystemUnderTest.client();
    }

    @Test
    void sandboxRunsCommandsInGvisorAndLeavesEventsAuditAndUsage() throws Exception {
        RawResponse created = api.http().send("POST", "/v1/sandboxes", Map.of("template", "base"));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        String id = created.field("id");
        assertThat(created.field("status")).isEqualTo("running");
        assertThat(created.field("template")).isEqualTo("base");
        assertThat(created.json().path("createdAt").asText()).isNotBlank();
        assertThat(created.json().path("expiresAt").asText()).isNotBlank();

        RawResponse ran =
                api.http().send("POST", "/v1/sandboxes/" + id + "/commands", Map.of("cmd", "echo hello && uname -r"));
        assertThat(ran.status()).as(ran.text()).isEqualTo(200);
        assertThat(ran.json().path("exitCode").asInt()).isZero();
        String[] lines = ran.field("stdout").split("\n");
        assertThat(lines[0]).isEqualTo("hello");
        // gVisor reports its own kernel version, not the host's.
        assertThat(lines[1]).isNotBlank().isNotEqualTo(hostKernel());
        assertThat(ran.json().path("durationMs").asLong()).isGreaterThanOrEqualTo(0);
        assertThat(ran.json().path("truncated").asBoolean()).isFalse();

        List<RawEvent> events = new ArrayList<>();
        int status = CommandEvents.run(api, id, "echo hello && uname -r", events::add);
        assertThat(status).isEqualTo(200);
        String streamed = events.stream()
                .filter(e -> e.event().equals("stdout"))
                .map(e -> e.json().path("data").asText())
                .reduce("", String::concat);
        assertThat(streamed).startsWith("hello\n").contains(lines[1]);
        RawEvent exit = events.getLast();
        assertThat(exit.event()).isEqualTo("exit");
        assertThat(exit.json().path("exitCode").asInt()).isZero();

        Sandbox sandbox = api.sandboxes().get(id);
        CommandResult missing = sandbox.commands().run("no-such-command-anywhere");
        assertThat(missing.exitCode()).isEqualTo(127);

        assertThat(sandbox.commands().list().data()).hasSize(3);
        String commandId = ran.field("id");
        CommandRecord record = sandbox.commands().get(commandId);
        assertThat(record.exitCode()).isZero();
        assertThat(record.stdout()).startsWith("hello\n");

        // Let the meter see a few running seconds before the kill.
        await().atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(api.http()
                                .send("GET", "/v1/usage?sandboxId=" + id)
                                .json()
                                .path("totals")
                                .path("computeUnitSeconds")
                                .asDouble())
                        .isGreaterThan(0));

        RawResponse killed = api.http().send("DELETE", "/v1/sandboxes/" + id);
        assertThat(killed.status()).as(killed.text()).isEqualTo(200);
        assertThat(killed.field("status")).isEqualTo("killed");
        assertThat(sandbox.refresh().status()).isEqualTo("killed");
        assertThat(api.http()
                        .send("POST", "/v1/sandboxes/" + id + "/commands", Map.of("cmd", "true"))
                        .status())
                .isEqualTo(409);

        assertThat(eventStoreTypes(id)).containsSubsequence("SandboxCreated", "SandboxStarted", "SandboxKilled");
        assertThat(kafkaEventTypes("sandbox-events", id)).contains("SandboxCreated", "SandboxStarted", "SandboxKilled");
        assertThat(kafkaEventTypes("command-events", id)).contains("CommandStarted", "CommandFinished");

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode audit = api.http()
                    .send("GET", "/v1/audit/events?resourceId=" + id)
                    .json()
                    .path("data");
            Set<String> actions = new TreeSet<>();
            audit.forEach(e -> actions.add(e.path("action").asText()));
            assertThat(actions).contains("sandbox.created", "sandbox.started", "sandbox.killed");
        });
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode audit = api.http()
                    .send("GET", "/v1/audit/events?resourceId=" + commandId)
                    .json()
                    .path("data");
            Set<String> actions = new TreeSet<>();
            audit.forEach(e -> actions.add(e.path("action").asText()));
            assertThat(actions).contains("command.started", "command.finished");
        });
        JsonNode usage = api.http().send("GET", "/v1/usage?sandboxId=" + id).json();
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
