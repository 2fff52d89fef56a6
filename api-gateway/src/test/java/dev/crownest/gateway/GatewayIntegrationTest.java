package dev.crownest.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crownest.contracts.event.CommandOutput;
import dev.crownest.contracts.event.KeyEvent;
import dev.crownest.contracts.event.Topics;
import dev.crownest.contracts.node.ExecFrames;
import dev.crownest.contracts.security.Scopes;
import dev.crownest.gateway.kafka.BroadcastTopicReader;
import dev.crownest.gateway.key.SecretHash;
import dev.crownest.testing.DropsThrowawayDatabases;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;

/**
 * The gateway against a real Kafka broker, with a stand-in HTTP server in place of the internal
 * services so the forwarded calls can be inspected. Keys are random per test, so the shared
 * {@code key-events} topic can hold anything else.
 */
@ExtendWith(DropsThrowawayDatabases.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class GatewayIntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final StandInService SERVICES = new StandInService();
    private static final StandInNode NODE = new StandInNode();
    /** Published before the gateway starts: it must work on the first request once the gateway is ready. */
    private static final String BOOT_KEY =
            "cn_live_" + UUID.randomUUID().toString().replace("-", "");

    private static final String BOOT_TENANT = "t_" + UUID.randomUUID();
    private static final String ADMIN_TOKEN =
            "cn_admin_" + UUID.randomUUID().toString().replace("-", "");

    @Autowired
    private WebTestClient http;

    @org.springframework.boot.test.web.server.LocalServerPort
    private int port;

    @Autowired
    private List<BroadcastTopicReader<?>> readers;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        registry.add("spring.kafka.bootstrap-servers", TestKafka::bootstrapServers);
        GatewayDatabase.register(registry);
        registry.add("crownest.sandbox-service.url", SERVICES::url);
        registry.add("crownest.metering.url", SERVICES::url);
        registry.add("crownest.audit.url", GatewayIntegrationTest::closedPortUrl);
        registry.add("crownest.billing.url", SERVICES::url);
        registry.add("crownest.node-agent.url", NODE::url);
        // low enough for a test to cross, high enough for every other test's few calls per key
        registry.add("crownest.rate-limit.requests-per-second", () -> "20");
        registry.add("crownest.rate-limit.burst", () -> "40");
        registry.add("crownest.bootstrap.admin-token-hash", () -> dev.crownest.gateway.key.SecretHash.of(ADMIN_TOKEN));
        publishKey(BOOT_KEY, "key_" + UUID.randomUUID(), BOOT_TENANT, Scopes.ALL, null);
    }

    @AfterAll
    static void stopServices() {
        SERVICES.close();
        NODE.close();
    }

    @BeforeEach
    void gatewayIsReady() {
        SERVICES.reset();
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> http.get()
                        .uri("/actuator/health")
                        .exchange()
                        .expectStatus()
                        .isOk());
    }

    @Test
    void keyPublishedBeforeStartWorksOnTheFirstRequestAfterReady() {
        assertThat(readers)
                .extracting(BroadcastTopicReader::topic)
                .containsExactlyInAnyOrder(Topics.KEY_EVENTS, Topics.COMMAND_OUTPUT, Topics.SANDBOX_EVENTS);
        assertThat(readers).allMatch(BroadcastTopicReader::isReady);
        SERVICES.answer(request -> new StandInService.Reply(200, "{\"data\":[],\"nextCursor\":null}"));
        http.get()
                .uri("/v1/sandboxes")
                .header("x-api-key", BOOT_KEY)
                .exchange()
                .expectStatus()
                .isOk();
    }

    @Test
    void validKeyIsForwardedWithTenantActorProjectAndRequestId() throws Exception {
        String keyId = "key_" + UUID.randomUUID();
        String tenant = "t_" + UUID.randomUUID();
        String key = liveKey(keyId, tenant, Scopes.ALL, "prj_alpha");
        SERVICES.reset();
        SERVICES.answer(
                request -> new StandInService.Reply(200, "{\"data\":[{\"id\":\"sbx_1\"}],\"nextCursor\":null}"));

        EntityExchangeResult<byte[]> result = http.get()
                .uri("/v1/sandboxes?limit=5&status=running")
                .header("x-api-key", key)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.data[0].id")
                .isEqualTo("sbx_1")
                .returnResult();

        StandInService.Seen forwarded = SERVICES.next(Duration.ofSeconds(5));
        assertThat(forwarded.method()).isEqualTo("GET");
        assertThat(forwarded.uri()).isEqualTo("/internal/sandboxes?limit=5&status=running");
        assertThat(forwarded.headers().get("X-CrowNest-Tenant")).isEqualTo(tenant);
        assertThat(forwarded.headers().get("X-CrowNest-Actor")).isEqualTo(keyId);
        assertThat(forwarded.headers().get("X-CrowNest-Project")).isEqualTo("prj_alpha");
        String requestId = result.getResponseHeaders().getFirst("x-request-id");
        assertThat(requestId).startsWith("req_");
        assertThat(forwarded.headers().get("X-Request-Id")).isEqualTo(requestId);
        assertThat(forwarded.headers().contains("x-api-key")).isFalse();
    }

    @Test
    void missingUnknownAndBearerOnlyCallersAre401() {
        assertError(http.get().uri("/v1/sandboxes").exchange(), 401, "authentication", "missing_api_key");
        assertError(
                http.get()
                        .uri("/v1/sandboxes")
                        .header("x-api-key", "cn_live_notakeyatall")
                        .exchange(),
                401,
                "authentication",
                "invalid_api_key");
        assertError(
                http.get()
                        .uri("/v1/usage")
                        .header("Authorization", "Bearer cn_admin_whatever")
                        .exchange(),
                401,
                "authentication",
                "api_key_required");
    }

    @Test
    void operatorRoutesTakeTheSessionTokenActOnTheNamedTenantAndRefuseApiKeys() throws Exception {
        SERVICES.reset();
        SERVICES.answer(request -> new StandInService.Reply(200, "{\"maxConcurrentSandboxes\":5}"));
        http.put()
                .uri("/v1/quotas?tenantId=t_ops&projectId=p1")
                .header("Authorization", "Bearer " + ADMIN_TOKEN)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"maxConcurrentSandboxes\":5}")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.maxConcurrentSandboxes")
                .isEqualTo(5);
        StandInService.Seen forwarded = SERVICES.next(Duration.ofSeconds(5));
        assertThat(forwarded.method()).isEqualTo("PUT");
        assertThat(forwarded.uri()).isEqualTo("/internal/quotas?tenantId=t_ops&projectId=p1");
        assertThat(forwarded.headers().get("X-CrowNest-Tenant")).isEqualTo("t_ops");
        assertThat(forwarded.headers().get("X-CrowNest-Actor")).isEqualTo("operator");
        assertThat(JSON.readTree(forwarded.body())
                        .path("maxConcurrentSandboxes")
                        .asInt())
                .isEqualTo(5);

        http.post()
                .uri("/v1/invoices/inv_1/finalize?tenantId=t_ops")
                .header("Authorization", "Bearer " + ADMIN_TOKEN)
                .exchange()
                .expectStatus()
                .isOk();
        assertThat(SERVICES.next(Duration.ofSeconds(5)).uri())
                .isEqualTo("/internal/billing/invoices/inv_1/finalize?tenantId=t_ops");

        // the same GET with a key is the tenant's own, read-only view
        http.get()
                .uri("/v1/quotas")
                .header("x-api-key", BOOT_KEY)
                .exchange()
                .expectStatus()
                .isOk();
        assertThat(SERVICES.next(Duration.ofSeconds(5)).headers().get("X-CrowNest-Tenant"))
                .isEqualTo(BOOT_TENANT);

        SERVICES.reset();
        assertError(
                http.put()
                        .uri("/v1/quotas?tenantId=t_ops")
                        .header("x-api-key", BOOT_KEY)
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue("{}")
                        .exchange(),
                403,
                "permission",
                "session_required");
        assertError(
                http.put()
                        .uri("/v1/quotas?tenantId=t_ops")
                        .header("Authorization", "Bearer cn_admin_wrong")
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue("{}")
                        .exchange(),
                401,
                "authentication",
                "invalid_session");
        assertError(
                http.put()
                        .uri("/v1/quotas")
                        .header("Authorization", "Bearer " + ADMIN_TOKEN)
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue("{}")
                        .exchange(),
                400,
                "invalid_request",
                "tenant_required");
        assertError(
                http.put()
                        .uri("/v1/quotas?tenantId=t_ops")
                        .header("Authorization", "Bearer " + ADMIN_TOKEN)
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue("{not json")
                        .exchange(),
                400,
                "invalid_request",
                "invalid_json");
        assertThat(SERVICES.next(Duration.ofMillis(300)))
                .as("nothing refused reaches a service")
                .isNull();
    }

    @Test
    void exportsStreamThroughWithTheirContentType() throws Exception {
        SERVICES.reset();
        SERVICES.answer(request -> new StandInService.Reply(200, "{\"rows\":[{\"amountUsd\":0.5}]}"));
        http.get()
                .uri("/v1/usage/export?format=json&from=2026-11-01T00:00:00Z")
                .header("x-api-key", BOOT_KEY)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.rows[0].amountUsd")
                .isEqualTo(0.5);
        assertThat(SERVICES.next(Duration.ofSeconds(5)).uri())
                .isEqualTo("/internal/usage/export?format=json&from=2026-11-01T00:00:00Z");
        SERVICES.answer(request -> new StandInService.Reply(
                400, "{\"error\":{\"type\":\"invalid_request\",\"code\":\"invalid_format\",\"message\":\"m\"}}"));
        assertError(
                http.get()
                        .uri("/v1/usage/export?format=xml")
                        .header("x-api-key", BOOT_KEY)
                        .exchange(),
                400,
                "invalid_request",
                "invalid_format");
    }

    @Test
    void keyWithoutTheRoutesScopeIs403AndNothingIsForwarded() throws Exception {
        String key =
                liveKey("key_" + UUID.randomUUID(), "t_" + UUID.randomUUID(), List.of(Scopes.SANDBOXES_READ), null);
        SERVICES.reset();
        JsonNode error = assertError(
                http.post()
                        .uri("/v1/sandboxes")
                        .header("x-api-key", key)
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue("{\"template\":\"base\"}")
                        .exchange(),
                403,
                "permission",
                "missing_scope");
        assertThat(error.path("message").asText()).isEqualTo("this key lacks scope sandboxes:create");
        assertError(
                http.get().uri("/v1/audit/events").header("x-api-key", key).exchange(),
                403,
                "permission",
                "missing_scope");
        assertThat(SERVICES.next(Duration.ofMillis(300))).isNull();
    }

    @Test
    void malformedOrMistypedBodiesAre400AndNothingIsForwarded() throws Exception {
        String key = liveKey("key_" + UUID.randomUUID(), "t_" + UUID.randomUUID(), Scopes.ALL, null);
        SERVICES.reset();
        for (String body : List.of("{\"template\": \"base\"", "{\"ttlMs\": \"soon\"}", "[1,2]", "{} trailing")) {
            assertError(
                    http.post()
                            .uri("/v1/sandboxes")
                            .header("x-api-key", key)
                            .contentType(MediaType.APPLICATION_JSON)
                            .bodyValue(body)
                            .exchange(),
                    400,
                    "invalid_request",
                    "invalid_json");
        }
        assertError(
                http.post()
                        .uri("/v1/sandboxes/sbx_1/commands")
                        .header("x-api-key", key)
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue("{\"cmd\": [true]}")
                        .exchange(),
                400,
                "invalid_request",
                "invalid_json");
        assertThat(SERVICES.next(Duration.ofMillis(300))).isNull();
    }

    @Test
    void emptyCreateForwardsAllDefaultsAndPassesTheStatusThrough() throws Exception {
        String key = liveKey("key_" + UUID.randomUUID(), "t_" + UUID.randomUUID(), Scopes.ALL, null);
        SERVICES.reset();
        SERVICES.answer(request -> new StandInService.Reply(201, "{\"id\":\"sbx_new\",\"status\":\"running\"}"));
        http.post()
                .uri("/v1/sandboxes")
                .header("x-api-key", key)
                .exchange()
                .expectStatus()
                .isCreated()
                .expectBody()
                .jsonPath("$.id")
                .isEqualTo("sbx_new");
        StandInService.Seen forwarded = SERVICES.next(Duration.ofSeconds(5));
        assertThat(forwarded.method()).isEqualTo("POST");
        assertThat(forwarded.uri()).isEqualTo("/internal/sandboxes");
        JsonNode body = JSON.readTree(forwarded.body());
        assertThat(body.path("template").isNull()).isTrue();
        assertThat(body.path("ttlMs").isNull()).isTrue();
    }

    @Test
    void bodiesAboveOneMebibyteAre413() {
        String key = liveKey("key_" + UUID.randomUUID(), "t_" + UUID.randomUUID(), Scopes.ALL, null);
        byte[] big = ("{\"metadata\":{\"x\":\"" + "a".repeat(1024 * 1024) + "\"}}").getBytes(StandardCharsets.UTF_8);
        assertError(
                http.post()
                        .uri("/v1/sandboxes")
                        .header("x-api-key", key)
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(big)
                        .exchange(),
                413,
                "invalid_request",
                "payload_too_large");
        // Chunked, without a declared length: refused while reading.
        Flux<DataBuffer> chunked =
                Flux.range(0, 17).map(i -> DefaultDataBufferFactory.sharedInstance.wrap(new byte[64 * 1024]));
        assertError(
                http.post()
                        .uri("/v1/sandboxes")
                        .header("x-api-key", key)
                        .contentType(MediaType.APPLICATION_JSON)
                        .body(chunked, DataBuffer.class)
                        .exchange(),
                413,
                "invalid_request",
                "payload_too_large");
    }

    @Test
    void revokedKeyIsRefusedWithinOneSecond() {
        String keyId = "key_" + UUID.randomUUID();
        String tenant = "t_" + UUID.randomUUID();
        String key = liveKey(keyId, tenant, Scopes.ALL, null);
        SERVICES.answer(request -> new StandInService.Reply(200, "{\"data\":[],\"nextCursor\":null}"));

        TestKafka.send(
                Topics.KEY_EVENTS,
                keyId,
                new KeyEvent.ApiKeyRevoked(UUID.randomUUID(), tenant, Instant.now(), 1, keyId, "operator"));
        long revokedAt = System.nanoTime();
        await().atMost(Duration.ofSeconds(1))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> http.get()
                                .uri("/v1/sandboxes")
                                .header("x-api-key", key)
                                .exchange()
                                .returnResult(byte[].class)
                                .getStatus()
                                .value()
                        == 401);
        assertThat(Duration.ofNanos(System.nanoTime() - revokedAt)).isLessThan(Duration.ofSeconds(1));
        assertError(
                http.get().uri("/v1/sandboxes").header("x-api-key", key).exchange(),
                401,
                "authentication",
                "key_revoked");
    }

    @Test
    void unknownRoutesAre404AndWrongMethods405InTheErrorShape() {
        assertError(http.get().uri("/v1/no-such-thing").exchange(), 404, "not_found", "route_not_found");
        assertError(http.get().uri("/nothing/here").exchange(), 404, "not_found", "route_not_found");
        http.put().uri("/v1/sandboxes").exchange().expectHeader().valueMatches("Allow", ".*GET.*");
        assertError(http.patch().uri("/v1/sandboxes/sbx_1").exchange(), 405, "invalid_request", "method_not_allowed");
    }

    @Test
    void serviceErrorsPassThroughWithTheRequestIdAndUnreachableServicesAre503() {
        String key = liveKey("key_" + UUID.randomUUID(), "t_" + UUID.randomUUID(), Scopes.ALL, null);
        SERVICES.answer(
                request -> new StandInService.Reply(
                        404,
                        "{\"error\":{\"type\":\"not_found\",\"code\":\"sandbox_not_found\",\"message\":\"no sandbox sbx_zz\"}}"));
        JsonNode error = assertError(
                http.get().uri("/v1/sandboxes/sbx_zz").header("x-api-key", key).exchange(),
                404,
                "not_found",
                "sandbox_not_found");
        assertThat(error.path("message").asText()).isEqualTo("no sandbox sbx_zz");

        SERVICES.answer(request -> new StandInService.Reply(500, "<html>boom</html>"));
        assertError(http.get().uri("/v1/usage").header("x-api-key", key).exchange(), 500, "internal", "upstream_error");

        assertError(
                http.get().uri("/v1/audit/verify").header("x-api-key", key).exchange(),
                503,
                "unavailable",
                "upstream_unavailable");
    }

    @Test
    void blockingRunForwardsWithWaitTrue() throws Exception {
        String key = liveKey("key_" + UUID.randomUUID(), "t_" + UUID.randomUUID(), Scopes.ALL, null);
        SERVICES.reset();
        SERVICES.answer(
                request -> new StandInService.Reply(200, "{\"id\":\"cmd_1\",\"status\":\"finished\",\"exitCode\":0}"));
        http.post()
                .uri("/v1/sandboxes/sbx_1/commands")
                .header("x-api-key", key)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"cmd\":\"echo hi\"}")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.exitCode")
                .isEqualTo(0);
        StandInService.Seen forwarded = SERVICES.next(Duration.ofSeconds(5));
        assertThat(forwarded.uri()).isEqualTo("/internal/sandboxes/sbx_1/commands?wait=true");
        assertThat(JSON.readTree(forwarded.body()).path("cmd").asText()).isEqualTo("echo hi");
    }

    @Test
    void streamedRunAnswersServerSentEventsFromTheNodesOutputAndTheExitRecord() throws Exception {
        String key = liveKey("key_" + UUID.randomUUID(), "t_" + UUID.randomUUID(), Scopes.ALL, null);
        SERVICES.reset();
        NODE.answer(StandInNodeScript::helloOops);
        CompletableFuture<String> commandId = new CompletableFuture<>();
        CompletableFuture<Boolean> watchedFirst = new CompletableFuture<>();
        SERVICES.answer(request -> {
            if (request.method().equals("POST")) {
                String id = request.headers().get("X-CrowNest-Command-Id");
                commandId.complete(id);
                watchedFirst.complete(NODE.watched(id));
                // The command runs on the node once accepted; its exit record follows, as the execution worker's would.
                NODE.start(id);
                CompletableFuture.runAsync(
                        () -> finish(id), CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS));
                return new StandInService.Reply(202, "{\"id\":\"" + id + "\",\"status\":\"running\"}");
            }
            return new StandInService.Reply(500, "{}");
        });

        List<ServerSentEvent<String>> events = http.mutate()
                .responseTimeout(Duration.ofSeconds(15))
                .build()
                .post()
                .uri("/v1/sandboxes/sbx_1/commands")
                .header("x-api-key", key)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"cmd\":\"printf hello\",\"stream\":true}")
                .exchange()
                .expectStatus()
                .isOk()
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.TEXT_EVENT_STREAM)
                .returnResult(new ParameterizedTypeReference<ServerSentEvent<String>>() {})
                .getResponseBody()
                .collectList()
                .block(Duration.ofSeconds(15));

        String id = commandId.get(1, TimeUnit.SECONDS);
        assertThat(id).startsWith("cmd_");
        assertThat(watchedFirst.get(1, TimeUnit.SECONDS))
                .as("the node's output was watched before the run was asked for")
                .isTrue();
        StandInService.Seen start = SERVICES.next(Duration.ofSeconds(1));
        assertThat(start.uri()).isEqualTo("/internal/sandboxes/sbx_1/commands?wait=false");

        assertThat(events).extracting(ServerSentEvent::event).containsExactly("stdout", "stdout", "stderr", "exit");
        assertThat(JSON.readTree(events.get(0).data()).path("data").asText()).isEqualTo("hello ");
        assertThat(JSON.readTree(events.get(1).data()).path("data").asText()).isEqualTo("é!\n");
        assertThat(JSON.readTree(events.get(2).data()).path("data").asText()).isEqualTo("oops\n");
        JsonNode exit = JSON.readTree(events.get(3).data());
        assertThat(exit.path("commandId").asText()).isEqualTo(id);
        assertThat(exit.path("exitCode").asInt()).isEqualTo(3);
        assertThat(exit.path("timedOut").asBoolean()).isTrue();
    }

    @Test
    void streamedRunWhoseNodeCannotBeWatchedIsRefusedBeforeAnythingRuns() throws Exception {
        String key = liveKey("key_" + UUID.randomUUID(), "t_" + UUID.randomUUID(), Scopes.ALL, null);
        SERVICES.reset();
        NODE.answer(commandId -> null);
        try {
            assertError(
                    http.post()
                            .uri("/v1/sandboxes/sbx_1/commands")
                            .header("x-api-key", key)
                            .contentType(MediaType.APPLICATION_JSON)
                            .bodyValue("{\"cmd\":\"true\",\"stream\":true}")
                            .exchange(),
                    503,
                    "unavailable",
                    "node_unavailable");
            assertThat(SERVICES.next(Duration.ofMillis(300)))
                    .as("nothing asked to run")
                    .isNull();
        } finally {
            NODE.answer(StandInNodeScript::helloOops);
        }
    }

    @Test
    void streamedRunThatTheServiceRefusesAnswersJson() {
        String key = liveKey("key_" + UUID.randomUUID(), "t_" + UUID.randomUUID(), Scopes.ALL, null);
        SERVICES.answer(
                request -> new StandInService.Reply(
                        409,
                        "{\"error\":{\"type\":\"conflict\",\"code\":\"sandbox_not_running\",\"message\":\"sandbox sbx_1 is killed\"}}"));
        WebTestClient.ResponseSpec answer = http.post()
                .uri("/v1/sandboxes/sbx_1/commands")
                .header("x-api-key", key)
                .accept(MediaType.TEXT_EVENT_STREAM)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"cmd\":\"true\"}")
                .exchange();
        answer.expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON);
        assertError(answer, 409, "conflict", "sandbox_not_running");
    }

    /** Publishes a key and waits until the gateway knows it. */
    @Test
    void sameIdempotencyKeyAndBodyReplaysTheFirstAnswerWithoutForwardingAgain() throws Exception {
        String key = liveKey("key_" + UUID.randomUUID(), "t_" + UUID.randomUUID(), Scopes.ALL, null);
        String idem = "idem-" + UUID.randomUUID();
        SERVICES.reset();
        SERVICES.answer(request ->
                new StandInService.Reply(201, "{\"id\":\"sbx_" + UUID.randomUUID() + "\",\"status\":\"running\"}"));
        EntityExchangeResult<byte[]> first = http.post()
                .uri("/v1/sandboxes")
                .header("x-api-key", key)
                .header("Idempotency-Key", idem)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"template\":\"base\"}")
                .exchange()
                .expectStatus()
                .isCreated()
                .expectBody()
                .returnResult();
        assertThat(SERVICES.next(Duration.ofSeconds(5))).isNotNull();
        EntityExchangeResult<byte[]> again = http.post()
                .uri("/v1/sandboxes")
                .header("x-api-key", key)
                .header("Idempotency-Key", idem)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"template\":\"base\"}")
                .exchange()
                .expectStatus()
                .isCreated()
                .expectBody()
                .returnResult();
        assertThat(again.getResponseBody()).isEqualTo(first.getResponseBody());
        assertThat(again.getResponseHeaders().getFirst("Idempotent-Replayed")).isEqualTo("true");
        assertThat(first.getResponseHeaders().getFirst("Idempotent-Replayed")).isNull();
        assertThat(SERVICES.next(Duration.ofMillis(300)))
                .as("the replay did not reach the service")
                .isNull();

        // another caller's same key is its own: forwarded
        String other = liveKey("key_" + UUID.randomUUID(), "t_" + UUID.randomUUID(), Scopes.ALL, null);
        SERVICES.reset();
        http.post()
                .uri("/v1/sandboxes")
                .header("x-api-key", other)
                .header("Idempotency-Key", idem)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"template\":\"base\"}")
                .exchange()
                .expectStatus()
                .isOk();
        assertThat(SERVICES.next(Duration.ofSeconds(5))).isNotNull();
    }

    @Test
    void sameIdempotencyKeyWithAnotherBodyOrPathIs422AndChangesNothing() throws Exception {
        String key = liveKey("key_" + UUID.randomUUID(), "t_" + UUID.randomUUID(), Scopes.ALL, null);
        String idem = "idem-" + UUID.randomUUID();
        SERVICES.reset();
        SERVICES.answer(request -> new StandInService.Reply(201, "{\"id\":\"sbx_1\"}"));
        http.post()
                .uri("/v1/sandboxes")
                .header("x-api-key", key)
                .header("Idempotency-Key", idem)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"template\":\"base\"}")
                .exchange()
                .expectStatus()
                .isCreated();
        SERVICES.next(Duration.ofSeconds(5));
        assertError(
                http.post()
                        .uri("/v1/sandboxes")
                        .header("x-api-key", key)
                        .header("Idempotency-Key", idem)
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue("{\"template\":\"python\"}")
                        .exchange(),
                422,
                "idempotency_error",
                "idempotency_key_reused");
        assertError(
                http.post()
                        .uri("/v1/sandboxes/sbx_1/commands")
                        .header("x-api-key", key)
                        .header("Idempotency-Key", idem)
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue("{\"template\":\"base\"}")
                        .exchange(),
                422,
                "idempotency_error",
                "idempotency_key_reused");
        assertError(
                http.post()
                        .uri("/v1/sandboxes")
                        .header("x-api-key", key)
                        .header("Idempotency-Key", "a key with spaces")
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue("{}")
                        .exchange(),
                400,
                "invalid_request",
                "invalid_idempotency_key");
        assertThat(SERVICES.next(Duration.ofMillis(300))).isNull();
        // the first answer still stands
        http.post()
                .uri("/v1/sandboxes")
                .header("x-api-key", key)
                .header("Idempotency-Key", idem)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"template\":\"base\"}")
                .exchange()
                .expectStatus()
                .isCreated()
                .expectHeader()
                .valueEquals("Idempotent-Replayed", "true");
    }

    @Test
    void simultaneousRequestsWithOneKeyDoTheWorkOnceAndAnswerTheSame() throws Exception {
        String key = liveKey("key_" + UUID.randomUUID(), "t_" + UUID.randomUUID(), Scopes.ALL, null);
        String idem = "idem-" + UUID.randomUUID();
        SERVICES.reset();
        var forwarded = new java.util.concurrent.atomic.AtomicInteger();
        SERVICES.answer(request -> {
            int n = forwarded.incrementAndGet();
            try {
                Thread.sleep(400); // the others arrive while this one works
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new StandInService.Reply(201, "{\"id\":\"sbx_" + n + "\"}");
        });
        List<CompletableFuture<EntityExchangeResult<byte[]>>> calls = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            calls.add(CompletableFuture.supplyAsync(() -> http.post()
                    .uri("/v1/sandboxes")
                    .header("x-api-key", key)
                    .header("Idempotency-Key", idem)
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue("{\"template\":\"base\"}")
                    .exchange()
                    .expectStatus()
                    .isCreated()
                    .expectBody()
                    .returnResult()));
        }
        for (var call : calls) {
            assertThat(new String(call.get(30, TimeUnit.SECONDS).getResponseBody(), StandardCharsets.UTF_8))
                    .isEqualTo("{\"id\":\"sbx_1\"}");
        }
        assertThat(forwarded.get()).as("the service saw one create").isEqualTo(1);
    }

    @Test
    void refusedRequestsGiveTheKeyBackSoAFixedRetryIsServed() throws Exception {
        String tenant = "t_" + UUID.randomUUID();
        String readOnly = liveKey("key_" + UUID.randomUUID(), tenant, List.of(Scopes.SANDBOXES_READ), null);
        String idem = "idem-" + UUID.randomUUID();
        SERVICES.reset();
        assertError(
                http.post()
                        .uri("/v1/sandboxes")
                        .header("x-api-key", readOnly)
                        .header("Idempotency-Key", idem)
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue("{\"ttlMs\":\"soon\"}")
                        .exchange(),
                403,
                "permission",
                "missing_scope");
        assertError(
                http.post()
                        .uri("/v1/sandboxes")
                        .header("x-api-key", readOnly)
                        .header("Idempotency-Key", idem)
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue("{\"ttlMs\":\"soon\"}")
                        .exchange(),
                403,
                "permission",
                "missing_scope");
        String full = liveKey("key_" + UUID.randomUUID(), tenant, Scopes.ALL, null);
        assertError(
                http.post()
                        .uri("/v1/sandboxes")
                        .header("x-api-key", full)
                        .header("Idempotency-Key", idem)
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue("{\"ttlMs\":\"soon\"}")
                        .exchange(),
                400,
                "invalid_request",
                "invalid_json");
        SERVICES.answer(request -> new StandInService.Reply(201, "{\"id\":\"sbx_fixed\"}"));
        http.post()
                .uri("/v1/sandboxes")
                .header("x-api-key", full)
                .header("Idempotency-Key", idem)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"ttlMs\":60000}")
                .exchange()
                .expectStatus()
                .isCreated()
                .expectBody()
                .jsonPath("$.id")
                .isEqualTo("sbx_fixed");
        assertThat(SERVICES.next(Duration.ofSeconds(5))).isNotNull();
    }

    @Test
    void aKeyOverItsRateGets429WithRetryAfterAndNothingIsForwarded() throws Exception {
        String key = liveKey("key_" + UUID.randomUUID(), "t_" + UUID.randomUUID(), Scopes.ALL, null);
        SERVICES.reset();
        SERVICES.answer(request -> new StandInService.Reply(200, "{\"data\":[],\"nextCursor\":null}"));
        // 100 calls at once: the bucket's 40 plus what 20/s refills while they run are served, the rest refused
        long t0 = System.nanoTime();
        List<CompletableFuture<EntityExchangeResult<byte[]>>> calls = new java.util.ArrayList<>();
        for (int i = 0; i < 100; i++) {
            calls.add(CompletableFuture.supplyAsync(() -> http.get()
                    .uri("/v1/sandboxes")
                    .header("x-api-key", key)
                    .exchange()
                    .expectBody()
                    .returnResult()));
        }
        List<EntityExchangeResult<byte[]>> results =
                calls.stream().map(CompletableFuture::join).toList();
        double elapsed = (System.nanoTime() - t0) / 1e9;
        int served =
                (int) results.stream().filter(r -> r.getStatus().value() == 200).count();
        List<EntityExchangeResult<byte[]>> refusedAll =
                results.stream().filter(r -> r.getStatus().value() == 429).toList();
        assertThat(served + refusedAll.size()).isEqualTo(100);
        assertThat(served).isBetween(40, 40 + (int) Math.ceil(20 * elapsed) + 1);
        assertThat(refusedAll).isNotEmpty();
        EntityExchangeResult<byte[]> refused = refusedAll.get(0);
        assertThat(Integer.parseInt(refused.getResponseHeaders().getFirst("Retry-After")))
                .isPositive();
        JsonNode error = JSON.readTree(refused.getResponseBody()).path("error");
        assertThat(error.path("code").asText()).isEqualTo("rate_limited");
        assertThat(error.path("type").asText()).isEqualTo("rate_limit");
        int forwarded = 0;
        while (SERVICES.next(Duration.ofMillis(200)) != null) {
            forwarded++;
        }
        assertThat(forwarded).as("only served calls reached the service").isEqualTo(served);
        // another key of the same tenant has its own bucket
        String other = liveKey("key_" + UUID.randomUUID(), "t_" + UUID.randomUUID(), Scopes.ALL, null);
        http.get()
                .uri("/v1/sandboxes")
                .header("x-api-key", other)
                .exchange()
                .expectStatus()
                .isOk();
    }

    @Test
    void openApiDocumentIsPublicAndEveryPathInItIsARealRoute() throws Exception {
        byte[] raw = http.get()
                .uri("/v1/openapi.json")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .returnResult()
                .getResponseBody();
        JsonNode document = JSON.readTree(raw);
        assertThat(document.path("openapi").asText()).startsWith("3.");
        assertThat(document.path("components").path("schemas").has("CreateSandboxRequest"))
                .isTrue();
        assertThat(document.path("components")
                        .path("schemas")
                        .path("SandboxView")
                        .path("properties")
                        .has("expiresAt"))
                .isTrue();
        JsonNode create = document.path("paths").path("/v1/sandboxes").path("post");
        assertThat(create.path("x-required-scope").asText()).isEqualTo(Scopes.SANDBOXES_CREATE);
        int operations = 0;
        var paths = document.path("paths").fields();
        while (paths.hasNext()) {
            var path = paths.next();
            String concrete = path.getKey().replaceAll("\\{[^}]+}", "x_1");
            var methods = path.getValue().fieldNames();
            while (methods.hasNext()) {
                String method = methods.next().toUpperCase();
                operations++;
                // without credentials a real route answers 401 (a signed URL without its signature 403);
                // an unknown one 404 route_not_found
                EntityExchangeResult<byte[]> answer = http.method(HttpMethod.valueOf(method))
                        .uri(concrete)
                        .exchange()
                        .expectBody()
                        .returnResult();
                assertThat(answer.getStatus().value())
                        .as(method + " " + path.getKey())
                        .isEqualTo(path.getKey().equals("/v1/signed/files") ? 403 : 401);
            }
        }
        assertThat(operations).isGreaterThanOrEqualTo(21);
        assertThat(document.path("paths").has("/v1/signed/files"))
                .as("the signed files route, in no route table")
                .isTrue();
    }

    @Test
    void webSocketRunStreamsStartChunksAndExitAndForwardsACancel() throws Exception {
        String key = liveKey("key_" + UUID.randomUUID(), "t_" + UUID.randomUUID(), Scopes.ALL, null);
        SERVICES.reset();
        NODE.answer(StandInNodeScript::helloOops);
        CompletableFuture<String> cancelled = new CompletableFuture<>();
        SERVICES.answer(request -> {
            if (request.uri().endsWith("/cancel")) {
                cancelled.complete(request.uri());
                return new StandInService.Reply(200, "{\"status\":\"finished\",\"cancelled\":true}");
            }
            String id = request.headers().get("X-CrowNest-Command-Id");
            // output only once the client had time to send its cancel frame
            CompletableFuture.runAsync(
                    () -> {
                        NODE.start(id);
                        finish(id);
                    },
                    CompletableFuture.delayedExecutor(500, TimeUnit.MILLISECONDS));
            return new StandInService.Reply(202, "{\"id\":\"" + id + "\",\"status\":\"running\"}");
        });
        List<String> frames = new java.util.concurrent.CopyOnWriteArrayList<>();
        var headers = new org.springframework.http.HttpHeaders();
        headers.set("x-api-key", key);
        new org.springframework.web.reactive.socket.client.ReactorNettyWebSocketClient()
                .execute(
                        java.net.URI.create("ws://127.0.0.1:" + port + "/v1/sandboxes/sbx_1/commands/ws"),
                        headers,
                        session -> session.send(Flux.just(
                                        session.textMessage("{\"cmd\":\"printf hello\"}"),
                                        session.textMessage("{\"type\":\"cancel\"}")))
                                .thenMany(session.receive()
                                        .map(m -> m.getPayloadAsText())
                                        .doOnNext(frames::add))
                                .then())
                .block(Duration.ofSeconds(15));

        assertThat(frames)
                .extracting(f -> JSON.readTree(f).path("type").asText())
                .containsExactly("start", "stdout", "stdout", "stderr", "exit");
        String id = JSON.readTree(frames.get(0)).path("commandId").asText();
        assertThat(id).startsWith("cmd_");
        assertThat(JSON.readTree(frames.get(1)).path("data").asText()).isEqualTo("hello ");
        assertThat(JSON.readTree(frames.get(4)).path("exitCode").asInt()).isEqualTo(3);
        assertThat(cancelled.get(5, TimeUnit.SECONDS))
                .isEqualTo("/internal/sandboxes/sbx_1/commands/" + id + "/cancel");

        // without the scope, the upgrade is refused like any route
        String readOnly =
                liveKey("key_" + UUID.randomUUID(), "t_" + UUID.randomUUID(), List.of(Scopes.COMMANDS_READ), null);
        assertError(
                http.get()
                        .uri("/v1/sandboxes/sbx_1/commands/ws")
                        .header("x-api-key", readOnly)
                        .exchange(),
                403,
                "permission",
                "missing_scope");
    }

    // --- sandbox read cache (gateway.sandbox.SandboxReadCache)

    @Test
    void sandboxReadsAreCachedUntilASandboxEventAndStayExactPerTenantAndProject() throws Exception {
        String tenant = "t_" + UUID.randomUUID();
        String sandboxId = "sbx_" + UUID.randomUUID().toString().replace("-", "");
        String key = liveKey("key_" + UUID.randomUUID(), tenant, Scopes.ALL, null);
        String ownProject = liveKey("key_" + UUID.randomUUID(), tenant, Scopes.ALL, "prj_1");
        String otherProject = liveKey("key_" + UUID.randomUUID(), tenant, Scopes.ALL, "prj_2");
        String otherTenant = liveKey("key_" + UUID.randomUUID(), "t_" + UUID.randomUUID(), Scopes.ALL, null);
        String[] status = {"running"};
        SERVICES.reset();
        SERVICES.answer(request -> {
            String project = request.headers().get("X-CrowNest-Project");
            boolean visible = request.uri().equals("/internal/sandboxes/" + sandboxId)
                    && tenant.equals(request.headers().get("X-CrowNest-Tenant"))
                    && (project == null || project.equals("prj_1"));
            return visible
                    ? new StandInService.Reply(
                            200,
                            "{\"id\":\"" + sandboxId + "\",\"status\":\"" + status[0] + "\",\"projectId\":\"prj_1\"}")
                    : new StandInService.Reply(
                            404,
                            "{\"error\":{\"type\":\"not_found\",\"code\":\"sandbox_not_found\",\"message\":\"no\"}}");
        });

        http.get()
                .uri("/v1/sandboxes/" + sandboxId)
                .header("x-api-key", key)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.status")
                .isEqualTo("running");
        assertThat(SERVICES.next(Duration.ofSeconds(1))).isNotNull();
        http.get()
                .uri("/v1/sandboxes/" + sandboxId)
                .header("x-api-key", key)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.status")
                .isEqualTo("running");
        http.get()
                .uri("/v1/sandboxes/" + sandboxId)
                .header("x-api-key", ownProject)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.id")
                .isEqualTo(sandboxId);
        assertThat(SERVICES.next(Duration.ofMillis(300)))
                .as("answered from the cache")
                .isNull();

        // another tenant's and another project's keys never see the cached view: sandbox-service answers them
        assertError(
                http.get()
                        .uri("/v1/sandboxes/" + sandboxId)
                        .header("x-api-key", otherTenant)
                        .exchange(),
                404,
                "not_found",
                "sandbox_not_found");
        assertError(
                http.get()
                        .uri("/v1/sandboxes/" + sandboxId)
                        .header("x-api-key", otherProject)
                        .exchange(),
                404,
                "not_found",
                "sandbox_not_found");
        assertThat(SERVICES.next(Duration.ofSeconds(1)).headers().get("X-CrowNest-Tenant"))
                .isNotEqualTo(tenant);
        assertThat(SERVICES.next(Duration.ofSeconds(1)).headers().get("X-CrowNest-Project"))
                .isEqualTo("prj_2");

        // a change made elsewhere (here: the TTL reaper) reaches the cache through sandbox-events
        status[0] = "expired";
        TestKafka.send(
                Topics.SANDBOX_EVENTS,
                sandboxId,
                new dev.crownest.contracts.event.SandboxEvent.SandboxExpired(
                        UUID.randomUUID(), tenant, Instant.now(), 1, sandboxId, "system:ttl"));
        await().atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(50))
                .untilAsserted(() -> http.get()
                        .uri("/v1/sandboxes/" + sandboxId)
                        .header("x-api-key", key)
                        .exchange()
                        .expectStatus()
                        .isOk()
                        .expectBody()
                        .jsonPath("$.status")
                        .isEqualTo("expired"));
    }

    @Test
    void aKillThroughThisGatewayIsReadBackAtOnce() throws Exception {
        String tenant = "t_" + UUID.randomUUID();
        String sandboxId = "sbx_" + UUID.randomUUID().toString().replace("-", "");
        String key = liveKey("key_" + UUID.randomUUID(), tenant, Scopes.ALL, null);
        SERVICES.reset();
        SERVICES.answer(request -> new StandInService.Reply(
                200,
                "{\"id\":\"" + sandboxId + "\",\"status\":\""
                        + (request.method().equals("DELETE") ? "killed" : "running") + "\"}"));
        http.get()
                .uri("/v1/sandboxes/" + sandboxId)
                .header("x-api-key", key)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.status")
                .isEqualTo("running");

        http.delete()
                .uri("/v1/sandboxes/" + sandboxId)
                .header("x-api-key", key)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.status")
                .isEqualTo("killed");
        SERVICES.reset(); // from now on sandbox-service would still say running: only the cache knows better
        SERVICES.answer(
                request -> new StandInService.Reply(200, "{\"id\":\"" + sandboxId + "\",\"status\":\"running\"}"));

        http.get()
                .uri("/v1/sandboxes/" + sandboxId)
                .header("x-api-key", key)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.status")
                .isEqualTo("killed");
        assertThat(SERVICES.next(Duration.ofMillis(300))).isNull();
    }

    private String liveKey(String keyId, String tenant, List<String> scopes, String projectId) {
        String key = "cn_live_" + UUID.randomUUID().toString().replace("-", "");
        publishKey(key, keyId, tenant, scopes, projectId);
        await().atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> http.method(HttpMethod.GET)
                                .uri("/v1/sandboxes")
                                .header("x-api-key", key)
                                .exchange()
                                .returnResult(byte[].class)
                                .getStatus()
                                .value()
                        != 401);
        return key;
    }

    private static void publishKey(String key, String keyId, String tenant, List<String> scopes, String projectId) {
        TestKafka.send(
                Topics.KEY_EVENTS,
                keyId,
                new KeyEvent.ApiKeyCreated(
                        UUID.randomUUID(),
                        tenant,
                        Instant.now(),
                        1,
                        keyId,
                        "test key",
                        scopes,
                        projectId,
                        SecretHash.of(key),
                        "operator"));
    }

    /** The execution worker's exit record of a command: exit code 3, timed out. */
    private static void finish(String commandId) {
        TestKafka.send(
                Topics.COMMAND_OUTPUT,
                commandId,
                new CommandOutput(commandId, "sbx_1", "t", 0, CommandOutput.EXIT, null, 3, true));
    }

    /** What the stand-in node streams: a character split across two frames, stderr, then the exit frame. */
    private static final class StandInNodeScript {
        static byte[] helloOops(String commandId) {
            byte[] hello = "hello é!\n".getBytes(StandardCharsets.UTF_8);
            int split = "hello ".length() + 1; // inside the two bytes of é
            return StandInNode.frames(
                    ExecFrames.STDOUT, java.util.Arrays.copyOfRange(hello, 0, split),
                    ExecFrames.STDOUT, java.util.Arrays.copyOfRange(hello, split, hello.length),
                    ExecFrames.STDERR, "oops\n".getBytes(StandardCharsets.UTF_8),
                    ExecFrames.EXIT,
                            "{\"stream\":\"exit\",\"exitCode\":3,\"timedOut\":true}".getBytes(StandardCharsets.UTF_8));
        }
    }

    private static JsonNode assertError(WebTestClient.ResponseSpec response, int status, String type, String code) {
        EntityExchangeResult<byte[]> result =
                response.expectStatus().isEqualTo(status).expectBody().returnResult();
        String raw = new String(
                result.getResponseBodyContent() == null ? new byte[0] : result.getResponseBodyContent(),
                StandardCharsets.UTF_8);
        try {
            JsonNode error = JSON.readTree(raw).path("error");
            assertThat(error.path("type").asText()).as(raw).isEqualTo(type);
            assertThat(error.path("code").asText()).as(raw).isEqualTo(code);
            assertThat(error.path("message").asText()).as(raw).isNotBlank();
            assertThat(error.path("requestId").asText())
                    .as(raw)
                    .isEqualTo(result.getResponseHeaders().getFirst("x-request-id"));
            assertThat(raw).doesNotContain("Exception").doesNotContain("\tat ");
            return error;
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + raw, e);
        }
    }

    private static String closedPortUrl() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return "http://127.0.0.1:" + socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
