package dev.crownest.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crownest.contracts.event.CreditEvent;
import dev.crownest.contracts.event.PlatformEvent;
import dev.crownest.contracts.event.Topics;
import dev.crownest.contracts.security.InternalHeaders;
import dev.crownest.contracts.security.Scopes;
import dev.crownest.kit.auth.ServiceCredential;
import dev.crownest.sandbox.node.NodeStandIn;
import dev.crownest.testing.IntegrationTest;
import dev.crownest.testing.TestInfrastructure;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The service against real PostgreSQL (a throwaway database) and real Kafka: the create call parks
 * until the worker's report, the event reaches Kafka through the tracking processor, rejected input
 * leaves nothing behind, tenants do not see each other, and the TTL reaper ends sandboxes.
 */
@IntegrationTest(database = "sandbox_service_test_")
class SandboxServiceIntegrationTest {
    private static final String BOOTSTRAP_HASH = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    /** sandbox-service starts a create on its node itself: this plays the node. */
    static final NodeStandIn NODE = new NodeStandIn();

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        // no heartbeats come from a stand-in node: it must not be lost while the test runs
        registry.add("crownest.nodes.heartbeat-timeout", () -> "1h");
        registry.add("crownest.metering.url", () -> ""); // quota admission is metering's, tested end to end
        registry.add("crownest.node-agent.url", NODE::url);
        registry.add("crownest.bootstrap.api-key-hash", () -> BOOTSTRAP_HASH);
        registry.add("crownest.bootstrap.tenant-id", () -> "bootstrap-tenant");
    }

    @LocalServerPort
    int port;

    @Autowired
    ServiceCredential credential;

    @Autowired
    ObjectMapper json;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    KafkaTemplate<String, PlatformEvent> kafka;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void createAnswersRunningOnceTheNodeStartedItAndTheEventReachedKafka() throws Exception {
        String tenant = "it-" + UUID.randomUUID();
        NODE.hold();
        try (KafkaConsumer<String, String> consumer = sandboxEventsConsumer()) {
            CompletableFuture<HttpResponse<String>> create = send(
                    "POST",
                    "/internal/sandboxes",
                    tenant,
                    "{\"template\":\"python\",\"ttlMs\":60000,\"metadata\":{\"run\":\"1\"}}");

            ConsumerRecord<String, String> record = firstRecordOf(consumer, tenant, "SandboxCreated");
            JsonNode created = json.readTree(record.value());
            String sandboxId = created.get("sandboxId").asText();
            assertThat(record.key()).isEqualTo(sandboxId);
            assertThat(sandboxId).matches("sbx_[a-z0-9]{20}");
            assertThat(created.get("schemaVersion").asInt()).isEqualTo(1);
            assertThat(UUID.fromString(created.get("eventId").asText())).isNotNull();
            assertThat(created.get("occurredAt").isTextual()).as("ISO instant").isTrue();
            assertThat(created.get("network").asText()).isEqualTo("off");
            assertThat(create).as("the create call waits for the node's start").isNotDone();
            NODE.release();

            HttpResponse<String> answer = create.get(10, TimeUnit.SECONDS);
            assertThat(answer.statusCode()).isEqualTo(201);
            JsonNode view = json.readTree(answer.body());
            assertThat(view.get("id").asText()).isEqualTo(sandboxId);
            assertThat(view.get("status").asText()).isEqualTo("running");
            assertThat(view.get("nodeId").asText()).isEqualTo("node-7");
            assertThat(view.get("metadata").get("run").asText()).isEqualTo("1");

            firstRecordOf(consumer, tenant, "SandboxStarted");

            // Another tenant's sandbox does not exist for the caller.
            HttpResponse<String> foreign = send("GET", "/internal/sandboxes/" + sandboxId, "other-" + tenant, null)
                    .get();
            assertThat(foreign.statusCode()).isEqualTo(404);
            assertThat(json.readTree(foreign.body()).at("/error/code").asText()).isEqualTo("sandbox_not_found");
        } finally {
            NODE.release();
        }
    }

    @Test
    void unknownTemplateIsA400ThatLeavesNoEventAndNoRow() throws Exception {
        String tenant = "it-" + UUID.randomUUID();
        long eventsBefore = eventCount();

        HttpResponse<String> answer = send("POST", "/internal/sandboxes", tenant, "{\"template\":\"cobol\"}")
                .get();

        assertThat(answer.statusCode()).isEqualTo(400);
        JsonNode error = json.readTree(answer.body()).get("error");
        assertThat(error.get("code").asText()).isEqualTo("unknown_template");
        assertThat(error.get("type").asText()).isEqualTo("invalid_request");
        assertThat(eventCount()).isEqualTo(eventsBefore);
        assertThat(jdbc.sql("SELECT count(*) FROM sandbox_view WHERE tenant_id = :t")
                        .param("t", tenant)
                        .query(Long.class)
                        .single())
                .isZero();
    }

    @Test
    void theReaperExpiresASandboxWhoseTtlRanOut() throws Exception {
        String tenant = "it-" + UUID.randomUUID();
        CompletableFuture<HttpResponse<String>> create =
                send("POST", "/internal/sandboxes", tenant, "{\"ttlMs\":1000}");
        String sandboxId = await().atMost(Duration.ofSeconds(10))
                .until(
                        () -> jdbc.sql("SELECT id FROM sandbox_view WHERE tenant_id = :t")
                                .param("t", tenant)
                                .query(String.class)
                                .optional()
                                .orElse(null),
                        id -> id != null);
        send("POST", "/internal/reports/sandboxes/" + sandboxId + "/started", null, "{\"nodeId\":\"node-1\"}")
                .get();
        assertThat(create.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(201);

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            JsonNode view = json.readTree(send("GET", "/internal/sandboxes/" + sandboxId, tenant, null)
                    .get()
                    .body());
            assertThat(view.get("status").asText()).isEqualTo("expired");
        });
    }

    @Test
    void aWaitingCommandAnswersOnceTheWorkerReportsItsExit() throws Exception {
        String tenant = "it-" + UUID.randomUUID();
        String sandboxId = runningSandbox(tenant);
        CompletableFuture<HttpResponse<String>> run = send(
                "POST",
                "/internal/sandboxes/" + sandboxId + "/commands?wait=true",
                tenant,
                "{\"cmd\":\"echo hi\",\"timeoutMs\":5000}",
                "cmd_it_" + UUID.randomUUID().toString().substring(0, 8));
        String commandId = await().atMost(Duration.ofSeconds(10))
                .until(
                        () -> jdbc.sql("SELECT id FROM command_view WHERE tenant_id = :t")
                                .param("t", tenant)
                                .query(String.class)
                                .optional()
                                .orElse(null),
                        id -> id != null);
        assertThat(commandId).startsWith("cmd_it_");
        assertThat(run).isNotDone();

        HttpResponse<String> report = send(
                        "POST",
                        "/internal/reports/commands/" + commandId + "/finished",
                        null,
                        "{\"exitCode\":0,\"stdout\":\"hi\\n\",\"stderr\":\"\",\"truncated\":false,\"timedOut\":false,"
                                + "\"startedAt\":\"2026-01-01T10:00:00Z\",\"finishedAt\":\"2026-01-01T10:00:00.040Z\"}")
                .get();
        assertThat(report.statusCode()).isEqualTo(200);

        HttpResponse<String> answer = run.get(10, TimeUnit.SECONDS);
        assertThat(answer.statusCode()).isEqualTo(200);
        JsonNode view = json.readTree(answer.body());
        assertThat(view.get("status").asText()).isEqualTo("finished");
        assertThat(view.get("stdout").asText()).isEqualTo("hi\n");
        assertThat(view.get("durationMs").asLong()).isEqualTo(40);

        // Killed sandboxes take no more commands.
        assertThat(send("DELETE", "/internal/sandboxes/" + sandboxId, tenant, null)
                        .get()
                        .statusCode())
                .isEqualTo(200);
        HttpResponse<String> refused = send(
                        "POST", "/internal/sandboxes/" + sandboxId + "/commands", tenant, "{\"cmd\":\"ls\"}")
                .get();
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(json.readTree(refused.body()).at("/error/code").asText()).isEqualTo("sandbox_not_running");
    }

    @Test
    void listsArePagedByCursorAndFilteredByMetadata() throws Exception {
        NODE.hold();
        try {
            listAndFilter();
        } finally {
            NODE.release();
        }
    }

    private void listAndFilter() throws Exception {
        String tenant = "it-" + UUID.randomUUID();
        for (int i = 0; i < 5; i++) {
            // the node holds their starts: the rows exist as 'starting', which is all a list needs
            send(
                    "POST",
                    "/internal/sandboxes",
                    tenant,
                    i % 2 == 0
                            ? "{\"metadata\":{\"team\":\"ml\",\"n\":\"" + i + "\"}}"
                            : "{\"metadata\":{\"team\":\"web\"}}");
        }
        await().atMost(Duration.ofSeconds(10))
                .until(() -> jdbc.sql("SELECT count(*) FROM sandbox_view WHERE tenant_id = :t")
                                .param("t", tenant)
                                .query(Long.class)
                                .single()
                        == 5);
        List<String> newestFirst = jdbc.sql(
                        "SELECT id FROM sandbox_view WHERE tenant_id = :t ORDER BY created_at DESC, id DESC")
                .param("t", tenant)
                .query(String.class)
                .list();

        List<String> paged = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = json.readTree(send(
                            "GET",
                            "/internal/sandboxes?limit=2" + (cursor == null ? "" : "&cursor=" + cursor),
                            tenant,
                            null)
                    .get()
                    .body());
            page.get("data").forEach(v -> paged.add(v.get("id").asText()));
            cursor = page.path("nextCursor").textValue(); // absent on the last page
            pages++;
        } while (cursor != null);
        assertThat(paged).isEqualTo(newestFirst);
        assertThat(pages).isEqualTo(3);

        JsonNode ml = json.readTree(send("GET", "/internal/sandboxes?metadata%5Bteam%5D=ml", tenant, null)
                .get()
                .body());
        assertThat(ml.get("data")).hasSize(3);
        JsonNode one = json.readTree(
                send("GET", "/internal/sandboxes?metadata%5Bteam%5D=ml&metadata%5Bn%5D=2&status=starting", tenant, null)
                        .get()
                        .body());
        assertThat(one.get("data")).hasSize(1);
        assertThat(one.get("data").get(0).get("metadata").get("n").asText()).isEqualTo("2");

        for (var bad : List.of(
                List.of("cursor=not-a-cursor", "invalid_cursor"),
                List.of("status=sleeping", "invalid_status"),
                List.of("metadata=ml", "invalid_metadata_filter"),
                List.of("limit=0", "invalid_limit"))) {
            HttpResponse<String> refused = send("GET", "/internal/sandboxes?" + bad.get(0), tenant, null)
                    .get();
            assertThat(refused.statusCode()).as(bad.get(0)).isEqualTo(400);
            assertThat(json.readTree(refused.body()).at("/error/code").asText()).isEqualTo(bad.get(1));
        }
    }

    @Test
    void aPauseOrResumeItsNodeCouldNotDoIsA502AndPublishedAsItsFailure() throws Exception {
        String tenant = "it-" + UUID.randomUUID();
        try (KafkaConsumer<String, String> consumer = sandboxEventsConsumer()) {
            String sandboxId = runningSandbox(tenant);
            String reports = "/internal/reports/sandboxes/" + sandboxId;

            CompletableFuture<HttpResponse<String>> pause =
                    send("POST", "/internal/sandboxes/" + sandboxId + "/pause", tenant, null);
            firstRecordOf(consumer, tenant, "SandboxPaused");
            assertThat(send("POST", reports + "/paused", null, "{\"done\":false,\"reason\":\"checkpoint failed\"}")
                            .get(10, TimeUnit.SECONDS)
                            .statusCode())
                    .isEqualTo(200);
            assertFailed(pause, "sandbox_pause_failed");
            assertThat(status(tenant, sandboxId)).as("it never stopped").isEqualTo("running");
            JsonNode pauseFailed = json.readTree(
                    firstRecordOf(consumer, tenant, "SandboxPauseFailed").value());
            assertThat(pauseFailed.path("reason").asText()).isEqualTo("checkpoint failed");
            assertThat(pauseFailed.path("actor").asText()).isEqualTo("node");

            pause = send("POST", "/internal/sandboxes/" + sandboxId + "/pause", tenant, null);
            firstRecordOf(consumer, tenant, "SandboxPaused");
            send("POST", reports + "/paused", null, "{\"done\":true}").get(10, TimeUnit.SECONDS);
            assertThat(pause.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            CompletableFuture<HttpResponse<String>> resume =
                    send("POST", "/internal/sandboxes/" + sandboxId + "/resume", tenant, null);
            firstRecordOf(consumer, tenant, "SandboxResumed");
            send("POST", reports + "/resumed", null, "{\"done\":false,\"reason\":\"restore failed\"}")
                    .get(10, TimeUnit.SECONDS);
            assertFailed(resume, "sandbox_resume_failed");
            assertThat(status(tenant, sandboxId)).as("its image is kept").isEqualTo("paused");
            assertThat(json.readTree(firstRecordOf(consumer, tenant, "SandboxResumeFailed")
                                    .value())
                            .path("reason")
                            .asText())
                    .isEqualTo("restore failed");

            HttpResponse<String> unknown = send("POST", reports + "/restarted", null, "{\"done\":true}")
                    .get(10, TimeUnit.SECONDS);
            assertThat(unknown.statusCode()).isEqualTo(404);
        }
    }

    private void assertFailed(CompletableFuture<HttpResponse<String>> call, String code) throws Exception {
        HttpResponse<String> answer = call.get(10, TimeUnit.SECONDS);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(502);
        assertThat(json.readTree(answer.body()).at("/error/code").asText()).isEqualTo(code);
    }

    private String status(String tenant, String sandboxId) throws Exception {
        HttpResponse<String> view =
                send("GET", "/internal/sandboxes/" + sandboxId, tenant, null).get(10, TimeUnit.SECONDS);
        return json.readTree(view.body()).path("status").asText();
    }

    private String runningSandbox(String tenant) throws Exception {
        CompletableFuture<HttpResponse<String>> create = send("POST", "/internal/sandboxes", tenant, "{}");
        String sandboxId = await().atMost(Duration.ofSeconds(10))
                .until(
                        () -> jdbc.sql("SELECT id FROM sandbox_view WHERE tenant_id = :t")
                                .param("t", tenant)
                                .query(String.class)
                                .optional()
                                .orElse(null),
                        id -> id != null);
        send("POST", "/internal/reports/sandboxes/" + sandboxId + "/started", null, "{\"nodeId\":\"node-1\"}")
                .get();
        assertThat(create.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(201);
        return sandboxId;
    }

    @Test
    void aSignUpIsAFreeTenantWithAKeyAndOfConcurrentSignUpsWithOneEmailExactlyOneWins() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String email = "Ada." + run + "@Example.COM";
        List<CompletableFuture<HttpResponse<String>>> signUps = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            signUps.add(send("POST", "/internal/signup", null, signUpBody("ada-" + run + "-" + i, email, i)));
        }
        List<HttpResponse<String>> answers = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> signUp : signUps) {
            answers.add(signUp.get(30, TimeUnit.SECONDS));
        }
        assertThat(answers).filteredOn(a -> a.statusCode() == 201).hasSize(1);
        assertThat(answers).filteredOn(a -> a.statusCode() != 201).allSatisfy(a -> {
            assertThat(a.statusCode()).as(a.body()).isEqualTo(409);
            assertThat(json.readTree(a.body()).at("/error/code").asText()).isEqualTo("email_taken");
        });
        JsonNode tenant = json.readTree(answers.stream()
                .filter(a -> a.statusCode() == 201)
                .findFirst()
                .orElseThrow()
                .body());
        assertThat(tenant.path("plan").asText()).isEqualTo("free");
        assertThat(tenant.path("email").asText()).isEqualTo("Ada." + run + "@example.com");
        assertThat(tenant.path("apiKeyId").asText()).matches("key_[a-z0-9]{20}");
        assertThat(jdbc.sql("SELECT count(*) FROM tenant_view WHERE lower(email) = lower(:e)")
                        .param("e", email)
                        .query(Long.class)
                        .single())
                .isEqualTo(1);
        String tenantId = tenant.path("tenantId").asText();
        // the key holds every tenant scope; the secret itself never came here, only its hash
        String scopes = jdbc.sql("SELECT array_to_string(scopes, ',') FROM api_key_view WHERE tenant_id = :t")
                .param("t", tenantId)
                .query(String.class)
                .single();
        assertThat(scopes.split(",")).containsExactlyInAnyOrderElementsOf(Scopes.ALL);

        // the same email in another case is taken; bad input is 400 and leaves nothing
        long before = eventCount();
        assertSignUpRefused(signUpBody("other-" + run, email.toUpperCase(), 9), 409, "email_taken");
        assertSignUpRefused(signUpBody("x-" + run, "not-an-email", 9), 400, "invalid_email");
        assertSignUpRefused(signUpBody("x-" + run, "a@b", 9), 400, "invalid_email");
        assertSignUpRefused(signUpBody("x".repeat(101), "x" + run + "@example.com", 9), 400, "invalid_name");
        assertSignUpRefused(signUpBody(" ", "y" + run + "@example.com", 9), 400, "invalid_name");
        assertThat(eventCount()).isEqualTo(before);

        // the operator closes sign-up: 403 signup_disabled, and opens it again
        assertThat(send("PUT", "/internal/settings/signup", null, "{}").get().statusCode())
                .isEqualTo(400);
        assertThat(send("PUT", "/internal/settings/signup", null, "{\"enabled\":false}")
                        .get()
                        .body())
                .contains("false");
        assertSignUpRefused(signUpBody("z-" + run, "z" + run + "@example.com", 9), 403, "signup_disabled");
        send("PUT", "/internal/settings/signup", null, "{\"enabled\":true}").get();
        assertThat(send("GET", "/internal/settings/signup", null, null).get().body())
                .contains("true");
    }

    @Test
    void aTenantHeldForCreditsIsPausedRefused402AndReleasedButNeverTheBootstrapTenant() throws Exception {
        String tenant = "it-credits-" + UUID.randomUUID();
        try (KafkaConsumer<String, String> consumer = sandboxEventsConsumer()) {
            String sandboxId = runningSandbox(tenant);
            Instant exhaustedAt = Instant.now();
            kafka.send(
                    Topics.BILLING_EVENTS,
                    tenant,
                    new CreditEvent.CreditsExhausted(
                            UUID.randomUUID(), tenant, exhaustedAt, 1, new BigDecimal("-0.01"), BigDecimal.ONE));
            JsonNode paused = json.readTree(
                    firstRecordOf(consumer, tenant, "SandboxPaused").value());
            assertThat(paused.path("sandboxId").asText()).isEqualTo(sandboxId);
            assertThat(paused.path("actor").asText()).isEqualTo("system:credits");

            // held: creates and resumes are 402 credits_exhausted in the one error shape, nothing recorded
            assertCreditsExhausted(
                    send("POST", "/internal/sandboxes", tenant, "{}").get(10, TimeUnit.SECONDS));
            assertCreditsExhausted(send("POST", "/internal/sandboxes/" + sandboxId + "/resume", tenant, "{}")
                    .get(10, TimeUnit.SECONDS));
            assertThat(jdbc.sql("SELECT count(*) FROM sandbox_view WHERE tenant_id = :t")
                            .param("t", tenant)
                            .query(Long.class)
                            .single())
                    .isEqualTo(1);

            // the node could not checkpoint it: it does not run on
            send(
                            "POST",
                            "/internal/reports/sandboxes/" + sandboxId + "/paused",
                            null,
                            "{\"done\":false,\"reason\":\"checkpoint failed\"}")
                    .get(10, TimeUnit.SECONDS);
            JsonNode killed = json.readTree(
                    firstRecordOf(consumer, tenant, "SandboxKilled").value());
            assertThat(killed.path("reason").asText())
                    .startsWith("credits_exhausted")
                    .contains("checkpoint failed");
            assertThat(killed.path("actor").asText()).isEqualTo("system:credits");

            // restored: creates are admitted again; an older hold delivered late changes nothing
            kafka.send(
                    Topics.BILLING_EVENTS,
                    tenant,
                    new CreditEvent.CreditsRestored(
                            UUID.randomUUID(), tenant, exhaustedAt.plusSeconds(1), 1, BigDecimal.ONE, "grant"));
            kafka.send(
                    Topics.BILLING_EVENTS,
                    tenant,
                    new CreditEvent.CreditsExhausted(
                            UUID.randomUUID(),
                            tenant,
                            exhaustedAt.minusSeconds(1),
                            1,
                            BigDecimal.ZERO,
                            BigDecimal.ONE));
            kafka.flush();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> !jdbc.sql("SELECT held FROM credit_hold WHERE tenant_id = :t")
                            .param("t", tenant)
                            .query(Boolean.class)
                            .single());
            HttpResponse<String> again =
                    send("POST", "/internal/sandboxes", tenant, "{}").get(60, TimeUnit.SECONDS);
            assertThat(again.statusCode()).as(again.body()).isIn(201, 202);
        }
        // the platform's own tenant is never held, whatever billing says
        kafka.send(
                        Topics.BILLING_EVENTS,
                        "bootstrap-tenant",
                        new CreditEvent.CreditsExhausted(
                                UUID.randomUUID(),
                                "bootstrap-tenant",
                                Instant.now(),
                                1,
                                BigDecimal.ZERO,
                                BigDecimal.ONE))
                .get(10, TimeUnit.SECONDS);
        Thread.sleep(1000);
        assertThat(jdbc.sql("SELECT count(*) FROM credit_hold WHERE tenant_id = 'bootstrap-tenant'")
                        .query(Long.class)
                        .single())
                .isZero();
    }

    private void assertCreditsExhausted(HttpResponse<String> answer) throws Exception {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(402);
        JsonNode error = json.readTree(answer.body()).path("error");
        assertThat(error.path("code").asText()).isEqualTo("credits_exhausted");
        assertThat(error.path("message").asText()).contains("payment method");
    }

    @Test
    void aSuspendedTenantsSandboxesArePausedAndOneThatCannotBeIsKilled() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        HttpResponse<String> created = send(
                        "POST",
                        "/internal/tenants",
                        null,
                        "{\"name\":\"susp-" + run + "\",\"plan\":\"pro\",\"adminTokenHash\":\"" + BOOTSTRAP_HASH
                                + "\"}")
                .get(10, TimeUnit.SECONDS);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String tenant = json.readTree(created.body()).path("id").asText();
        try (KafkaConsumer<String, String> consumer = sandboxEventsConsumer()) {
            String sandboxId = runningSandbox(tenant);
            HttpResponse<String> suspended = send("POST", "/internal/tenants/" + tenant + "/suspend", null, null)
                    .get(10, TimeUnit.SECONDS);
            assertThat(json.readTree(suspended.body()).path("status").asText()).isEqualTo("suspended");
            JsonNode paused = json.readTree(
                    firstRecordOf(consumer, tenant, "SandboxPaused").value());
            assertThat(paused.path("sandboxId").asText()).isEqualTo(sandboxId);
            assertThat(paused.path("actor").asText()).isEqualTo("system:suspension");
            assertThat(status(tenant, sandboxId)).isEqualTo("paused");

            // the node could not checkpoint it: a suspended tenant's sandbox does not run on
            send(
                            "POST",
                            "/internal/reports/sandboxes/" + sandboxId + "/paused",
                            null,
                            "{\"done\":false,\"reason\":\"checkpoint failed\"}")
                    .get(10, TimeUnit.SECONDS);
            JsonNode killed = json.readTree(
                    firstRecordOf(consumer, tenant, "SandboxKilled").value());
            assertThat(killed.path("reason").asText())
                    .startsWith("tenant_suspended")
                    .contains("checkpoint failed");
            assertThat(killed.path("actor").asText()).isEqualTo("system:suspension");

            // suspending again changes nothing; unsuspend makes it active; the bootstrap tenant is not administered
            assertThat(send("POST", "/internal/tenants/" + tenant + "/suspend", null, "{}")
                            .get()
                            .statusCode())
                    .isEqualTo(200);
            HttpResponse<String> active = send("POST", "/internal/tenants/" + tenant + "/unsuspend", null, null)
                    .get(10, TimeUnit.SECONDS);
            assertThat(json.readTree(active.body()).path("status").asText()).isEqualTo("active");
            assertThat(jdbc.sql(
                                    "SELECT count(*) FROM domain_event_entry WHERE aggregate_identifier = :t AND payload_type LIKE '%TenantSuspended'")
                            .param("t", tenant)
                            .query(Long.class)
                            .single())
                    .isEqualTo(1);
            HttpResponse<String> plan = send(
                            "PUT", "/internal/tenants/" + tenant + "/plan", null, "{\"plan\":\"team\"}")
                    .get(10, TimeUnit.SECONDS);
            assertThat(json.readTree(plan.body()).path("plan").asText()).isEqualTo("team");
            HttpResponse<String> bootstrap = send("POST", "/internal/tenants/bootstrap-tenant/suspend", null, null)
                    .get(10, TimeUnit.SECONDS);
            assertThat(bootstrap.statusCode()).isEqualTo(400);
            assertThat(send("POST", "/internal/tenants/ten_nope/suspend", null, null)
                            .get()
                            .statusCode())
                    .isEqualTo(404);
        }
    }

    private static String signUpBody(String name, String email, int secret) {
        // distinct valid SHA-256 hex per caller: each sign-up brings its own secrets
        String hash = String.format("%064x", secret + 1);
        String keyHash = String.format("%064x", secret + 1000);
        return "{\"name\":\"" + name + "\",\"email\":\"" + email + "\",\"adminTokenHash\":\"" + hash
                + "\",\"apiKeyHash\":\"" + keyHash + "\"}";
    }

    private void assertSignUpRefused(String body, int status, String code) throws Exception {
        HttpResponse<String> answer =
                send("POST", "/internal/signup", null, body).get(10, TimeUnit.SECONDS);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
        assertThat(json.readTree(answer.body()).at("/error/code").asText()).isEqualTo(code);
    }

    @Test
    void theBootstrapKeyIsIssuedOnceWithEveryScope() {
        List<String> scopes = jdbc.sql(
                        "SELECT array_to_string(scopes, ',') FROM api_key_view WHERE secret_hash = :h AND tenant_id = 'bootstrap-tenant'")
                .param("h", BOOTSTRAP_HASH)
                .query(String.class)
                .list();
        assertThat(scopes).hasSize(1);
        assertThat(scopes.getFirst().split(",")).containsExactlyInAnyOrderElementsOf(Scopes.ALL);
    }

    private long eventCount() {
        return jdbc.sql("SELECT count(*) FROM domain_event_entry")
                .query(Long.class)
                .single();
    }

    private CompletableFuture<HttpResponse<String>> send(String method, String path, String tenant, String body) {
        return send(method, path, tenant, body, null);
    }

    private CompletableFuture<HttpResponse<String>> send(
            String method, String path, String tenant, String body, String commandId) {
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
        if (commandId != null) {
            request.header("X-CrowNest-Command-Id", commandId);
        }
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private KafkaConsumer<String, String> sandboxEventsConsumer() {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.kafka());
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "sandbox-service-it-" + UUID.randomUUID());
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 20);
        KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(properties, new StringDeserializer(), new StringDeserializer());
        consumer.subscribe(List.of(Topics.SANDBOX_EVENTS));
        return consumer;
    }

    /** Reads the topic until this tenant's event of {@code type} shows up. */
    private ConsumerRecord<String, String> firstRecordOf(
            KafkaConsumer<String, String> consumer, String tenant, String type) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                try {
                    Map<?, ?> value = json.readValue(record.value(), Map.class);
                    if (tenant.equals(value.get("tenantId")) && type.equals(value.get("type"))) {
                        return record;
                    }
                } catch (Exception notOurs) {
                    // other services' records on the shared broker may be anything
                }
            }
        }
        throw new AssertionError(
                "no " + type + " for tenant " + tenant + " on " + Topics.SANDBOX_EVENTS + " within 30 s");
    }
}
