package dev.crownest.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.crownest.contracts.event.Topics;
import dev.crownest.contracts.security.InternalHeaders;
import dev.crownest.kit.auth.ServiceCredential;
import dev.crownest.testing.IntegrationTest;
import dev.crownest.testing.TestInfrastructure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Tenants, projects and keys against real PostgreSQL and Kafka. Metering's plan endpoints are a small
 * stand-in HTTP server here (metering itself follows the plan from key-events, tested in its own module
 * and end to end): it records the plan checks, refuses the plan {@code gold} as metering refuses an
 * unconfigured plan, and answers the last plan checked as the tenant's.
 */
@IntegrationTest(database = "sandbox_identity_test_")
class IdentityIntegrationTest {
    private static final String HASH_A = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    private static final String HASH_B = "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752";

    /** The plans sandbox-service asked metering about, in order. */
    private static final BlockingQueue<String> PLAN_CHECKS = new LinkedBlockingQueue<>();

    private static volatile String lastPlan = "free";
    private static final HttpServer METERING = meteringStandIn();

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        // no heartbeats come from a stand-in node: it must not be lost while the test runs
        registry.add("crownest.nodes.heartbeat-timeout", () -> "1h");
        registry.add(
                "crownest.metering.url",
                () -> "http://127.0.0.1:" + METERING.getAddress().getPort());
    }

    @AfterAll
    static void stopMetering() {
        METERING.stop(0);
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

    @Test
    void aTenantsPlanIsCheckedInMeteringFirstThenItsEventsCarryThePlanButNoCredentialHash() throws Exception {
        String name = "acme-" + UUID.randomUUID();
        try (KafkaConsumer<String, String> consumer = keyEventsConsumer()) {
            HttpResponse<String> created = send(
                    "POST",
                    "/internal/tenants",
                    null,
                    "{\"name\":\"" + name + "\",\"plan\":\"pro\",\"adminTokenHash\":\"" + HASH_A + "\"}");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            JsonNode tenant = json.readTree(created.body());
            String tenantId = tenant.path("id").asText();
            assertThat(tenantId).matches("ten_[a-z0-9]{20}");
            assertThat(tenant.path("adminSessionId").asText()).matches("adm_[a-z0-9]{20}");
            assertThat(tenant.path("plan").asText()).isEqualTo("pro");
            assertThat(tenant.has("adminToken"))
                    .as("the token is the gateway's to show")
                    .isFalse();

            assertThat(PLAN_CHECKS.poll(5, TimeUnit.SECONDS)).isEqualTo("pro");

            ConsumerRecord<String, String> tenantCreated = firstRecordOf(consumer, tenantId, "TenantCreated");
            assertThat(tenantCreated.key()).isEqualTo(tenantId);
            assertThat(json.readTree(tenantCreated.value()).path("plan").asText())
                    .as("metering follows the plan from here")
                    .isEqualTo("pro");
            assertThat(json.readTree(tenantCreated.value()).path("actor").asText())
                    .isEqualTo("operator");
            JsonNode session = json.readTree(firstRecordOf(consumer, tenantId, "TenantAdminSessionOpened")
                    .value());
            assertThat(session.has("tokenHash"))
                    .as("a credential hash never leaves sandbox-service (issue 15, F4)")
                    .isFalse();
            assertThat(tenantCreated.value()).doesNotContain(HASH_A);
            assertThat(session.toString()).doesNotContain(HASH_A);
            assertThat(session.path("sessionId").asText())
                    .isEqualTo(tenant.path("adminSessionId").asText());

            // the same name again, any case: 409, and metering is not even asked
            HttpResponse<String> again = send(
                    "POST",
                    "/internal/tenants",
                    null,
                    "{\"name\":\"" + name.toUpperCase() + "\",\"plan\":\"pro\",\"adminTokenHash\":\"" + HASH_B + "\"}");
            assertError(again, 409, "tenant_name_taken");
            assertThat(PLAN_CHECKS.poll(300, TimeUnit.MILLISECONDS)).isNull();

            // a session can be added and revoked; the revocation is on the identity stream
            HttpResponse<String> opened = send(
                    "POST",
                    "/internal/tenants/" + tenantId + "/admin-sessions",
                    null,
                    "{\"tokenHash\":\"" + HASH_B + "\"}");
            assertThat(opened.statusCode()).as(opened.body()).isEqualTo(201);
            String second = json.readTree(opened.body()).path("sessionId").asText();
            assertThat(send("DELETE", "/internal/tenants/" + tenantId + "/admin-sessions/" + second, null, null)
                            .statusCode())
                    .isEqualTo(200);
            assertThat(json.readTree(firstRecordOf(consumer, tenantId, "TenantAdminSessionRevoked")
                                    .value())
                            .path("sessionId")
                            .asText())
                    .isEqualTo(second);
            assertError(
                    send("DELETE", "/internal/tenants/ten_nope/admin-sessions/" + second, null, null),
                    404,
                    "tenant_not_found");
        }
    }

    @Test
    void aPlanMeteringRefusesAndBadInputCreateNothing() throws Exception {
        long before = eventCount();
        String name = "gold-" + UUID.randomUUID();
        assertError(
                send(
                        "POST",
                        "/internal/tenants",
                        null,
                        "{\"name\":\"" + name + "\",\"plan\":\"gold\",\"adminTokenHash\":\"" + HASH_A + "\"}"),
                400,
                "invalid_plan");
        PLAN_CHECKS.poll(5, TimeUnit.SECONDS);
        assertError(
                send(
                        "POST",
                        "/internal/tenants",
                        null,
                        "{\"name\":\"" + "n".repeat(101) + "\",\"plan\":\"pro\",\"adminTokenHash\":\"" + HASH_A
                                + "\"}"),
                400,
                "invalid_name");
        assertError(
                send(
                        "POST",
                        "/internal/tenants",
                        null,
                        "{\"name\":\"x\",\"plan\":\"pro\",\"adminTokenHash\":\"cn_admin_oops\"}"),
                400,
                "invalid_secret_hash");
        assertError(
                send(
                        "POST",
                        "/internal/tenants",
                        null,
                        "{\"name\":\"" + name + "\",\"plan\":\"/workspace/x\",\"adminTokenHash\":\"" + HASH_A + "\"}"),
                400,
                "invalid_plan");
        assertThat(eventCount()).isEqualTo(before);
        assertThat(jdbc.sql("SELECT count(*) FROM tenant_view WHERE name = :n")
                        .param("n", name)
                        .query(Long.class)
                        .single())
                .isZero();
    }

    @Test
    void projectsAndKeysStayInsideTheirTenant() throws Exception {
        String tenant = "it-" + UUID.randomUUID();
        String other = "other-" + tenant;

        HttpResponse<String> project = send("POST", "/internal/projects", tenant, "{\"name\":\"web\"}");
        assertThat(project.statusCode()).as(project.body()).isEqualTo(201);
        String projectId = json.readTree(project.body()).path("id").asText();
        assertThat(projectId).matches("prj_[a-z0-9]{20}");
        assertError(send("POST", "/internal/projects", tenant, "{\"name\":\"WEB\"}"), 409, "project_name_taken");
        assertError(send("POST", "/internal/projects", tenant, "{\"name\":\"\"}"), 400, "invalid_name");
        assertThat(send("POST", "/internal/projects", other, "{\"name\":\"web\"}")
                        .statusCode())
                .as("names are per tenant")
                .isEqualTo(201);
        assertThat(json.readTree(send("GET", "/internal/projects", tenant, null).body())
                        .path("data"))
                .extracting(p -> p.path("id").asText())
                .containsExactly(projectId);
        assertError(send("GET", "/internal/projects/" + projectId, other, null), 404, "project_not_found");

        assertError(
                send(
                        "POST",
                        "/internal/keys",
                        tenant,
                        keyBody("ci", "[\"sandboxes:read\",\"keys:create\"]", null, HASH_A)),
                400,
                "unknown_scope");
        assertError(send("POST", "/internal/keys", tenant, keyBody("ci", "[]", null, HASH_A)), 400, "invalid_scopes");
        assertError(
                send("POST", "/internal/keys", tenant, keyBody("", "[\"sandboxes:read\"]", null, HASH_A)),
                400,
                "invalid_name");
        assertError(
                send("POST", "/internal/keys", other, keyBody("ci", "[\"sandboxes:read\"]", projectId, HASH_A)),
                404,
                "project_not_found");

        try (KafkaConsumer<String, String> consumer = keyEventsConsumer()) {
            HttpResponse<String> key = send(
                    "POST",
                    "/internal/keys",
                    tenant,
                    keyBody("ci", "[\"sandboxes:read\",\"sandboxes:read\",\"commands:run\"]", projectId, HASH_A));
            assertThat(key.statusCode()).as(key.body()).isEqualTo(201);
            JsonNode view = json.readTree(key.body());
            String keyId = view.path("id").asText();
            assertThat(view.path("projectId").asText()).isEqualTo(projectId);
            assertThat(view.path("scopes"))
                    .extracting(JsonNode::asText)
                    .containsExactly("sandboxes:read", "commands:run");
            assertThat(view.path("createdBy").asText()).isEqualTo("key_it");
            assertThat(key.body()).doesNotContain(HASH_A);
            assertThat(send("GET", "/internal/keys", tenant, null).body())
                    .contains(keyId)
                    .doesNotContain(HASH_A);
            assertThat(json.readTree(send("GET", "/internal/keys", other, null).body())
                            .path("data"))
                    .isEmpty();

            assertError(send("DELETE", "/internal/keys/" + keyId, other, null), 404, "key_not_found");
            assertThat(json.readTree(send("GET", "/internal/keys/" + keyId, tenant, null)
                                    .body())
                            .path("status")
                            .asText())
                    .isEqualTo("active");
            HttpResponse<String> revoked = send("DELETE", "/internal/keys/" + keyId, tenant, null);
            assertThat(revoked.statusCode()).isEqualTo(200);
            assertThat(json.readTree(revoked.body()).path("status").asText()).isEqualTo("revoked");
            assertThat(send("DELETE", "/internal/keys/" + keyId, tenant, null).statusCode())
                    .as("revoking twice is harmless")
                    .isEqualTo(200);

            assertThat(firstRecordOf(consumer, tenant, "ProjectCreated").key()).isEqualTo(tenant);
            assertThat(firstRecordOf(consumer, tenant, "ApiKeyCreated").key()).isEqualTo(keyId);
            JsonNode revokedEvent = json.readTree(
                    firstRecordOf(consumer, tenant, "ApiKeyRevoked").value());
            assertThat(revokedEvent.path("actor").asText()).isEqualTo("key_it");
        }
    }

    private static String keyBody(String name, String scopes, String projectId, String hash) {
        return "{\"name\":\"" + name + "\",\"scopes\":" + scopes + ",\"projectId\":"
                + (projectId == null ? "null" : "\"" + projectId + "\"") + ",\"secretHash\":\"" + hash + "\"}";
    }

    private void assertError(HttpResponse<String> answer, int status, String code) throws IOException {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
        assertThat(json.readTree(answer.body()).at("/error/code").asText())
                .as(answer.body())
                .isEqualTo(code);
        assertThat(answer.body()).doesNotContain("Exception");
    }

    private long eventCount() {
        return jdbc.sql("SELECT count(*) FROM domain_event_entry")
                .query(Long.class)
                .single();
    }

    /** As the gateway calls: tenant header for tenant routes; always the actor (the operator for tenant routes' null). */
    private HttpResponse<String> send(String method, String path, String tenant, String body) throws Exception {
        HttpRequest.Builder request = credential
                .sign(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)))
                .timeout(Duration.ofSeconds(30))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (tenant != null) {
            request.header(InternalHeaders.TENANT_ID, tenant).header(InternalHeaders.ACTOR, "key_it");
        } else {
            request.header(InternalHeaders.ACTOR, "operator");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private KafkaConsumer<String, String> keyEventsConsumer() {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.kafka());
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "sandbox-identity-it-" + UUID.randomUUID());
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 20);
        KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(properties, new StringDeserializer(), new StringDeserializer());
        consumer.subscribe(List.of(Topics.KEY_EVENTS));
        return consumer;
    }

    /** Records read so far: one poll may bring several of the events a test looks for. */
    private final List<ConsumerRecord<String, String>> seen = new ArrayList<>();

    /** Reads key-events until this tenant's event of {@code type} shows up (the shared broker may hold anything else). */
    private ConsumerRecord<String, String> firstRecordOf(
            KafkaConsumer<String, String> consumer, String tenant, String type) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, String> record : seen) {
                try {
                    Map<?, ?> value = json.readValue(record.value(), Map.class);
                    if (tenant.equals(value.get("tenantId")) && type.equals(value.get("type"))) {
                        return record;
                    }
                } catch (Exception notOurs) {
                    // anything else on the shared broker
                }
            }
            consumer.poll(Duration.ofMillis(100)).forEach(seen::add);
        }
        throw new AssertionError("no " + type + " for tenant " + tenant + " on " + Topics.KEY_EVENTS + " within 30 s");
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private static HttpServer meteringStandIn() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/internal/plans/", exchange -> {
                String plan = exchange.getRequestURI().getPath().substring("/internal/plans/".length());
                PLAN_CHECKS.add(plan);
                boolean gold = plan.equals("gold");
                if (!gold) {
                    lastPlan = plan;
                }
                answer(
                        exchange,
                        gold ? 400 : 200,
                        gold
                                ? "{\"error\":{\"type\":\"invalid_request\",\"code\":\"invalid_plan\",\"message\":\"plan must be one of the configured plans\"}}"
                                : "{}");
            });
            // metering has followed the plan by the time it is asked
            server.createContext(
                    "/internal/quotas", exchange -> answer(exchange, 200, "{\"plan\":\"" + lastPlan + "\"}"));
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
