package dev.crownest.gateway;

import static dev.crownest.gateway.ApiErrors.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crownest.contracts.event.KeyEvent;
import dev.crownest.contracts.event.TenantEvent;
import dev.crownest.contracts.event.Topics;
import dev.crownest.contracts.security.Scopes;
import dev.crownest.gateway.key.SecretHash;
import dev.crownest.testing.IntegrationTest;
import dev.crownest.testing.IntegrationTest.DatabaseAccess;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Tenant administration at the gateway, against real Kafka, with a stand-in for sandbox-service: the
 * operator creates tenants, tenant admins (sessions learned from {@code key-events}) manage projects
 * and keys, secrets are made here and only their hashes go on, and API keys never administer.
 */
@IntegrationTest(database = "gateway_test_", access = DatabaseAccess.R2DBC)
class TenantAdministrationIntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final StandInService SERVICES = new StandInService();
    private static final String OPERATOR_TOKEN =
            "cn_admin_" + UUID.randomUUID().toString().replace("-", "");

    @Autowired
    private WebTestClient http;

    /** The gateway's own database, where idempotent answers are stored. */
    @Value("${spring.flyway.url}")
    private String database;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        registry.add("crownest.sandbox-service.url", SERVICES::url);
        registry.add("crownest.metering.url", SERVICES::url);
        registry.add("crownest.audit.url", SERVICES::url);
        registry.add("crownest.billing.url", SERVICES::url);
        registry.add("crownest.bootstrap.admin-token-hash", () -> SecretHash.of(OPERATOR_TOKEN));
    }

    @AfterAll
    static void stopServices() {
        SERVICES.close();
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
    void theOperatorCreatesATenantWhoseAdminTokenWorksAtOnceAndOnlyItsHashTravels() throws Exception {
        String tenantId = "ten_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
        SERVICES.answer(request -> request.uri().startsWith("/internal/tenants")
                ? new StandInService.Reply(
                        201,
                        "{\"id\":\"" + tenantId + "\",\"name\":\"Acme\",\"plan\":\"pro\","
                                + "\"createdAt\":\"2026-11-25T10:00:00Z\",\"adminSessionId\":\"adm_1" + tenantId
                                + "\"}")
                : new StandInService.Reply(200, "{\"data\":[],\"nextCursor\":null}"));

        EntityExchangeResult<byte[]> created = http.post()
                .uri("/v1/tenants")
                .header("Authorization", "Bearer " + OPERATOR_TOKEN)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"name\":\"Acme\",\"plan\":\"pro\"}")
                .exchange()
                .expectStatus()
                .isCreated()
                .expectBody()
                .returnResult();
        JsonNode tenant = JSON.readTree(created.getResponseBody());
        assertThat(tenant.path("id").asText()).isEqualTo(tenantId);
        String adminToken = tenant.path("adminToken").asText();
        assertThat(adminToken).matches("cn_admin_[A-Za-z0-9]{40}");

        StandInService.Seen forwarded = SERVICES.next(Duration.ofSeconds(5));
        assertThat(forwarded.uri()).isEqualTo("/internal/tenants");
        assertThat(forwarded.headers().get("X-CrowNest-Actor")).isEqualTo("operator");
        JsonNode body = JSON.readTree(forwarded.body());
        assertThat(body.path("adminTokenHash").asText()).isEqualTo(SecretHash.of(adminToken));
        assertThat(forwarded.body()).doesNotContain(adminToken);

        // the tenant admin acts on its own tenant, with its session as the actor
        http.get()
                .uri("/v1/keys")
                .header("Authorization", "Bearer " + adminToken)
                .exchange()
                .expectStatus()
                .isOk();
        StandInService.Seen list = SERVICES.next(Duration.ofSeconds(5));
        assertThat(list.uri()).isEqualTo("/internal/keys");
        assertThat(list.headers().get("X-CrowNest-Tenant")).isEqualTo(tenantId);
        assertThat(list.headers().get("X-CrowNest-Actor")).isEqualTo("adm_1" + tenantId);

        // ...and nothing of the operator's
        SERVICES.reset();
        assertError(
                http.post()
                        .uri("/v1/tenants")
                        .header("Authorization", "Bearer " + adminToken)
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue("{\"name\":\"x\",\"plan\":\"pro\"}")
                        .exchange(),
                403,
                "permission",
                "operator_required");
        assertError(
                http.post()
                        .uri("/v1/tenants/" + tenantId + "/suspend")
                        .header("Authorization", "Bearer " + adminToken)
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue("{}")
                        .exchange(),
                403,
                "permission",
                "operator_required");
        assertError(
                http.get()
                        .uri("/v1/projects?tenantId=ten_someoneelse")
                        .header("Authorization", "Bearer " + adminToken)
                        .exchange(),
                404,
                "not_found",
                "tenant_not_found");
        assertError(
                http.get()
                        .uri("/v1/projects")
                        .header("Authorization", "Bearer " + OPERATOR_TOKEN)
                        .exchange(),
                400,
                "invalid_request",
                "tenant_required");
        assertThat(SERVICES.next(Duration.ofMillis(300)))
                .as("nothing refused reaches a service")
                .isNull();
        // the tenant admin reads its quotas, and sets its caps (metering holds them to the plan)
        http.get()
                .uri("/v1/quotas")
                .header("Authorization", "Bearer " + adminToken)
                .exchange()
                .expectStatus()
                .isOk();
        assertThat(SERVICES.next(Duration.ofSeconds(5)).headers().get("X-CrowNest-Tenant"))
                .isEqualTo(tenantId);
        http.put()
                .uri("/v1/quotas?tenantId=" + tenantId)
                .header("Authorization", "Bearer " + adminToken)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"maxConcurrentSandboxes\":1}")
                .exchange()
                .expectStatus()
                .isOk();
        var capped = SERVICES.next(Duration.ofSeconds(5));
        assertThat(capped.uri()).startsWith("/internal/quotas");
        assertThat(capped.headers().get("X-CrowNest-Tenant")).isEqualTo(tenantId);
        assertThat(capped.headers().get("X-CrowNest-Actor"))
                .isEqualTo(tenant.path("adminSessionId").asText());
    }

    @Test
    void aKeyCreateRetriedWithItsIdempotencyKeyMakesOneKeyAndItsSecretIsStoredNowhere() throws Exception {
        String tenantId = "ten_" + UUID.randomUUID();
        String adminToken = liveAdminSession(tenantId, "adm_" + UUID.randomUUID());
        SERVICES.answer(
                request -> new StandInService.Reply(
                        201,
                        "{\"id\":\"key_" + UUID.randomUUID() + "\",\"name\":\"ci\","
                                + "\"scopes\":[\"sandboxes:read\"],\"status\":\"active\",\"createdAt\":\"2026-11-25T10:00:00Z\"}"));
        String idem = "key-create-" + UUID.randomUUID();
        EntityExchangeResult<byte[]> first = http.post()
                .uri("/v1/keys")
                .header("Authorization", "Bearer " + adminToken)
                .header("Idempotency-Key", idem)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"name\":\"ci\",\"scopes\":[\"sandboxes:read\"]}")
                .exchange()
                .expectStatus()
                .isCreated()
                .expectBody()
                .returnResult();
        String secret = JSON.readTree(first.getResponseBody()).path("key").asText();
        assertThat(secret).startsWith("cn_live_");
        assertThat(SERVICES.next(Duration.ofSeconds(5))).isNotNull();

        assertError(
                http.post()
                        .uri("/v1/keys")
                        .header("Authorization", "Bearer " + adminToken)
                        .header("Idempotency-Key", idem)
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue("{\"name\":\"ci\",\"scopes\":[\"sandboxes:read\"]}")
                        .exchange(),
                409,
                "idempotency_error",
                "idempotent_secret_not_replayable");
        assertThat(SERVICES.next(Duration.ofMillis(300)))
                .as("the retry made no second key")
                .isNull();
        assertThat(GatewayDatabase.storedBodies(database))
                .doesNotContain(secret)
                .doesNotContain("cn_live_");
    }

    @Test
    void aKeyIsMadeHereShownOnceWorksAtOnceAndIsRefusedAtOnceWhenRevoked() throws Exception {
        String tenantId = "ten_" + UUID.randomUUID();
        String adminToken = liveAdminSession(tenantId, "adm_" + UUID.randomUUID());
        String keyId = "key_" + UUID.randomUUID();
        SERVICES.answer(request -> switch (request.method()) {
            case "POST" ->
                new StandInService.Reply(
                        201,
                        "{\"id\":\"" + keyId + "\",\"name\":\"ci\",\"scopes\":[\"sandboxes:read\"],"
                                + "\"projectId\":\"prj_1\",\"status\":\"active\",\"createdAt\":\"2026-11-25T10:00:00Z\",\"createdBy\":\"adm_x\"}");
            case "DELETE" -> new StandInService.Reply(200, "{\"id\":\"" + keyId + "\",\"status\":\"revoked\"}");
            default -> new StandInService.Reply(200, "{\"data\":[],\"nextCursor\":null}");
        });

        EntityExchangeResult<byte[]> created = http.post()
                .uri("/v1/keys")
                .header("Authorization", "Bearer " + adminToken)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(
                        "{\"name\":\"ci\",\"scopes\":[\"sandboxes:read\"],\"projectId\":\"prj_1\",\"secretHash\":\"ignored\"}")
                .exchange()
                .expectStatus()
                .isCreated()
                .expectBody()
                .returnResult();
        JsonNode key = JSON.readTree(created.getResponseBody());
        String secret = key.path("key").asText();
        assertThat(secret).matches("cn_live_[A-Za-z0-9]{40}");
        StandInService.Seen forwarded = SERVICES.next(Duration.ofSeconds(5));
        assertThat(forwarded.uri()).isEqualTo("/internal/keys");
        assertThat(JSON.readTree(forwarded.body()).path("secretHash").asText())
                .as("the client cannot choose the hash")
                .isEqualTo(SecretHash.of(secret));
        assertThat(forwarded.body()).doesNotContain(secret);

        // this gateway knows the key at once: scoped and project-restricted as issued
        http.get()
                .uri("/v1/sandboxes")
                .header("x-api-key", secret)
                .exchange()
                .expectStatus()
                .isOk();
        StandInService.Seen asKey = SERVICES.next(Duration.ofSeconds(5));
        assertThat(asKey.headers().get("X-CrowNest-Actor")).isEqualTo(keyId);
        assertThat(asKey.headers().get("X-CrowNest-Project")).isEqualTo("prj_1");
        assertError(
                http.delete()
                        .uri("/v1/sandboxes/sbx_1")
                        .header("x-api-key", secret)
                        .exchange(),
                403,
                "permission",
                "missing_scope");

        // an API key never administers keys, whatever it holds
        for (WebTestClient.RequestHeadersSpec<?> call : List.of(
                http.get().uri("/v1/keys").header("x-api-key", secret),
                http.post()
                        .uri("/v1/keys")
                        .header("x-api-key", secret)
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue("{}"),
                http.delete().uri("/v1/keys/" + keyId).header("x-api-key", secret),
                http.delete()
                        .uri("/v1/keys/" + keyId)
                        .header("x-api-key", secret)
                        .header("Authorization", "Bearer " + adminToken))) {
            assertError(call.exchange(), 403, "permission", "keys_cannot_mint_keys");
        }
        assertError(
                http.post()
                        .uri("/v1/projects")
                        .header("x-api-key", secret)
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue("{\"name\":\"p\"}")
                        .exchange(),
                403,
                "permission",
                "session_required");
        assertThat(SERVICES.next(Duration.ofMillis(300)))
                .as("nothing refused reaches a service")
                .isNull();

        http.delete()
                .uri("/v1/keys/" + keyId)
                .header("Authorization", "Bearer " + adminToken)
                .exchange()
                .expectStatus()
                .isOk();
        assertThat(SERVICES.next(Duration.ofSeconds(5)).uri()).isEqualTo("/internal/keys/" + keyId);
        assertError(
                http.get().uri("/v1/sandboxes").header("x-api-key", secret).exchange(),
                401,
                "authentication",
                "key_revoked");
    }

    @Test
    void adminSessionsOpenedAndRevokedElsewhereReachThisGatewayWithinOneSecond() {
        String tenantId = "ten_" + UUID.randomUUID();
        String sessionId = "adm_" + UUID.randomUUID();
        String token = "cn_admin_" + UUID.randomUUID().toString().replace("-", "");
        SERVICES.answer(request -> new StandInService.Reply(200, "{\"data\":[],\"nextCursor\":null}"));
        assertError(
                http.get()
                        .uri("/v1/projects")
                        .header("Authorization", "Bearer " + token)
                        .exchange(),
                401,
                "authentication",
                "invalid_session");

        long opened = System.nanoTime();
        TestKafka.send(
                Topics.KEY_EVENTS,
                tenantId,
                new TenantEvent.TenantAdminSessionOpened(
                        UUID.randomUUID(), tenantId, Instant.now(), 1, sessionId, SecretHash.of(token), "operator"));
        await().atMost(Duration.ofSeconds(1))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> status(http.get()
                                .uri("/v1/projects")
                                .header("Authorization", "Bearer " + token)
                                .exchange())
                        == 200);
        assertThat(Duration.ofNanos(System.nanoTime() - opened)).isLessThan(Duration.ofSeconds(1));

        long revoked = System.nanoTime();
        TestKafka.send(
                Topics.KEY_EVENTS,
                tenantId,
                new TenantEvent.TenantAdminSessionRevoked(
                        UUID.randomUUID(), tenantId, Instant.now(), 1, sessionId, "operator"));
        await().atMost(Duration.ofSeconds(1))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> status(http.get()
                                .uri("/v1/projects")
                                .header("Authorization", "Bearer " + token)
                                .exchange())
                        == 401);
        assertThat(Duration.ofNanos(System.nanoTime() - revoked)).isLessThan(Duration.ofSeconds(1));
        // a redelivered opening does not bring it back
        TestKafka.send(
                Topics.KEY_EVENTS,
                tenantId,
                new TenantEvent.TenantAdminSessionOpened(
                        UUID.randomUUID(), tenantId, Instant.now(), 1, sessionId, SecretHash.of(token), "operator"));
        TestKafka.send(
                Topics.KEY_EVENTS,
                "key_probe",
                new KeyEvent.ApiKeyRevoked(UUID.randomUUID(), tenantId, Instant.now(), 1, "key_probe", "x"));
        await().during(Duration.ofMillis(500))
                .atMost(Duration.ofSeconds(2))
                .until(() -> status(http.get()
                                .uri("/v1/projects")
                                .header("Authorization", "Bearer " + token)
                                .exchange())
                        == 401);
        // a session token is no API key
        assertError(
                http.get()
                        .uri("/v1/sandboxes")
                        .header("Authorization", "Bearer " + token)
                        .exchange(),
                401,
                "authentication",
                "api_key_required");
        assertThat(Scopes.ALL).doesNotContain("keys:create");
    }

    /** Publishes an admin session and waits until the gateway knows it. */
    private String liveAdminSession(String tenantId, String sessionId) {
        String token = "cn_admin_" + UUID.randomUUID().toString().replace("-", "");
        TestKafka.send(
                Topics.KEY_EVENTS,
                tenantId,
                new TenantEvent.TenantAdminSessionOpened(
                        UUID.randomUUID(), tenantId, Instant.now(), 1, sessionId, SecretHash.of(token), "operator"));
        await().atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> status(http.get()
                                .uri("/v1/projects")
                                .header("Authorization", "Bearer " + token)
                                .exchange())
                        != 401);
        SERVICES.reset();
        return token;
    }

    private static int status(WebTestClient.ResponseSpec response) {
        return response.returnResult(byte[].class).getStatus().value();
    }
}
