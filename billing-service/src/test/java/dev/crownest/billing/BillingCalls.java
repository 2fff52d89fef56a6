package dev.crownest.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crownest.contracts.event.PlatformEvent;
import dev.crownest.contracts.event.Topics;
import dev.crownest.contracts.event.UsageRated;
import dev.crownest.kit.auth.ServiceCredential;
import dev.crownest.testing.TestInfrastructure;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.KafkaTemplate;

/** Calls on the billing service as the gateway makes them, and rated usage as metering publishes it. */
public final class BillingCalls {
    private final int port;
    private final ObjectMapper json;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ServiceCredential credential;

    /** @param credential the service's own credential bean: calls are signed as the gateway's are */
    public BillingCalls(int port, ObjectMapper json, ServiceCredential credential) {
        this.port = port;
        this.json = json;
        this.credential = credential;
    }

    public HttpResponse<String> get(String tenant, String path) throws Exception {
        return http.send(request(tenant, path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A GET asking for {@code accept}, its body as bytes (documents). */
    public HttpResponse<byte[]> get(String tenant, String path, String accept) throws Exception {
        return http.send(
                request(tenant, path).header("Accept", accept).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    public HttpResponse<String> post(String tenant, String path, String body) throws Exception {
        return http.send(
                request(tenant, path)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> put(String tenant, String path, String body) throws Exception {
        return http.send(
                request(tenant, path)
                        .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> delete(String tenant, String path) throws Exception {
        return http.send(request(tenant, path).DELETE().build(), HttpResponse.BodyHandlers.ofString());
    }

    public JsonNode ok(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json.readTree(response.body());
    }

    public JsonNode getOk(String tenant, String path) throws Exception {
        return ok(get(tenant, path));
    }

    private HttpRequest.Builder request(String tenant, String path) {
        return credential
                .sign(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)))
                .header("X-CrowNest-Tenant", tenant)
                .header("X-CrowNest-Actor", "key_test")
                .header("X-Request-Id", "req_test");
    }

    /** A span of {@code seconds} seconds starting at {@code start}, 1 compute unit per second, $0.12 per CU-hour. */
    public static UsageRated rated(String tenant, String project, ZonedDateTime start, long seconds) {
        long from = start.toEpochSecond();
        BigDecimal amount = new BigDecimal("0.0000333333").multiply(BigDecimal.valueOf(seconds));
        return new UsageRated(
                UUID.randomUUID(),
                tenant,
                Instant.now(),
                UsageRated.SCHEMA_VERSION,
                "sbx_" + project,
                project,
                from,
                from + seconds - 1,
                seconds,
                BigDecimal.valueOf(seconds),
                "2026-11-01",
                amount);
    }

    public static ZonedDateTime utc(int year, int month, int day) {
        return ZonedDateTime.of(year, month, day, 12, 0, 0, 0, ZoneOffset.UTC);
    }

    /** Waits until the service's consumer group has committed every rated-usage record published so far. */
    public static void awaitConsumed(
            KafkaTemplate<String, PlatformEvent> kafka, KafkaListenerEndpointRegistry listeners) {
        kafka.flush();
        // the group id of the running ledger listener (the test's property supplier answers a new one on each read)
        String groupId = listeners.getAllListenerContainers().stream()
                .filter(c ->
                        Arrays.asList(c.getContainerProperties().getTopics()).contains(Topics.RATED_USAGE))
                .findFirst()
                .orElseThrow()
                .getGroupId();
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.kafka()))) {
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(200))
                    .untilAsserted(() -> {
                        var partitions = admin
                                .describeTopics(List.of(Topics.RATED_USAGE))
                                .allTopicNames()
                                .get()
                                .get(Topics.RATED_USAGE)
                                .partitions()
                                .stream()
                                .map(p -> new TopicPartition(Topics.RATED_USAGE, p.partition()))
                                .toList();
                        Map<TopicPartition, Long> ends = admin
                                .listOffsets(
                                        partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest())))
                                .all()
                                .get()
                                .entrySet()
                                .stream()
                                .collect(Collectors.toMap(
                                        Map.Entry::getKey, e -> e.getValue().offset()));
                        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(groupId)
                                .partitionsToOffsetAndMetadata()
                                .get();
                        for (TopicPartition p : partitions) {
                            OffsetAndMetadata c = committed.get(p);
                            assertThat(c == null ? 0 : c.offset())
                                    .as("committed offset of " + p)
                                    .isEqualTo(ends.get(p));
                        }
                    });
        }
    }

    /** The tenant's events on billing-events, by event id, once at least {@code atLeast} arrived. */
    public static Map<String, JsonNode> billingEvents(ObjectMapper json, String tenant, int atLeast) {
        Map<String, JsonNode> found = new LinkedHashMap<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.kafka(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class))) {
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                if (consumer.assignment().isEmpty()) {
                    List<TopicPartition> partitions = consumer.partitionsFor(Topics.BILLING_EVENTS).stream()
                            .map(p -> new TopicPartition(p.topic(), p.partition()))
                            .toList();
                    if (partitions.isEmpty()) {
                        return false; // the outbox has not created the topic yet
                    }
                    consumer.assign(partitions);
                    consumer.seekToBeginning(partitions);
                }
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    JsonNode event = json.readTree(record.value());
                    if (tenant.equals(event.path("tenantId").asText())) {
                        assertThat(record.key()).isEqualTo(tenant);
                        found.put(event.path("eventId").asText(), event);
                    }
                }
                return found.size() >= atLeast;
            });
        }
        return found;
    }
}
