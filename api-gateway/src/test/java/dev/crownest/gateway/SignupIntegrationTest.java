package dev.crownest.gateway;

import static dev.crownest.gateway.ApiErrors.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crownest.contracts.event.TenantEvent;
import dev.crownest.contracts.event.Topics;
import dev.crownest.contracts.security.InternalHeaders;
import dev.crownest.contracts.security.Scopes;
import dev.crownest.gateway.key.SecretHash;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Sign-up and suspension at the gateway, against real Kafka, with a stand-in for sandbox-service: the
 * secrets are made here, shown once and only their hashes go on; both work at once; sign-ups are limited
 * per source address (a low limit here: 2 at once); a suspended tenant's key and admin session are refused
 * 403 {@code tenant_suspended} from the identity stream, and work again after an unsuspension.
 */
class SignupIntegrationTest extends GatewayWithStandIns {

    @DynamicPropertySource
    static void lowSignupLimit(DynamicPropertyRegistry registry) {
        registry.add("crownest.signup-limit.per-minute", () -> "1");
        registry.add("crownest.signup-limit.burst", () -> "2");
    }

    @Test
    void aSignUpAnswersBothSecretsOnceWhichWorkAtOnceAndTheThirdFromOneAddressIs429() throws Exception {
        String tenantId = "ten_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
        // ids of this test's own: the gateway's identity stream (shared Kafka) may hold other tests' revocations
        String suffix = tenantId.substring(4);
        SERVICES.answer(request -> request.uri().equals("/internal/signup")
                ? new StandInService.Reply(
                        201,
                        "{\"tenantId\":\"" + tenantId + "\",\"name\":\"Ada\",\"email\":\"ada@example.com\","
                                + "\"plan\":\"free\",\"createdAt\":\"2026-12-07T10:00:00Z\","
                                + "\"adminSessionId\":\"adm_" + suffix + "\",\"apiKeyId\":\"key_" + suffix + "\"}")
                : new StandInService.Reply(200, "{\"data\":[]}"));
        JsonNode answer = JSON.readTree(http.post()
                .uri("/v1/signup")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "Ada", "email", "ada@example.com"))
                .exchange()
                .expectStatus()
                .isCreated()
                .expectBody()
                .returnResult()
                .getResponseBody());
        String adminToken = answer.path("adminToken").asText();
        String apiKey = answer.path("apiKey").asText();
        assertThat(answer.path("tenantId").asText()).isEqualTo(tenantId);
        assertThat(adminToken).startsWith("cn_admin_");
        assertThat(apiKey).startsWith("cn_live_");
        assertThat(answer.path("plan").asText()).isEqualTo("free");

        StandInService.Seen forwarded = SERVICES.next(Duration.ofSeconds(5));
        assertThat(forwarded.uri()).isEqualTo("/internal/signup");
        assertThat(forwarded.body())
                .contains(SecretHash.of(adminToken), SecretHash.of(apiKey))
                .doesNotContain(adminToken)
                .doesNotContain(apiKey);
        assertThat(forwarded.headers().get(InternalHeaders.TENANT_ID))
                .as("no tenant yet")
                .isNullOrEmpty();

        // both secrets work at this gateway at once, as the new tenant
        http.get()
                .uri("/v1/sandboxes")
                .header("x-api-key", apiKey)
                .exchange()
                .expectStatus()
                .isOk();
        assertThat(SERVICES.next(Duration.ofSeconds(5)).headers().get(InternalHeaders.TENANT_ID))
                .isEqualTo(tenantId);
        http.get()
                .uri("/v1/keys")
                .header("Authorization", "Bearer " + adminToken)
                .exchange()
                .expectStatus()
                .isOk();
        assertThat(SERVICES.next(Duration.ofSeconds(5)).headers().get(InternalHeaders.TENANT_ID))
                .isEqualTo(tenantId);

        // a refusal of sandbox-service is passed on in the one shape, and counts against the address too
        SERVICES.answer(request -> new StandInService.Reply(
                409, "{\"error\":{\"type\":\"conflict\",\"code\":\"email_taken\",\"message\":\"taken\"}}"));
        assertError(signUp("ada@example.com"), 409, "conflict", "email_taken");
        SERVICES.reset();
        var limited = signUp("grace@example.com");
        limited.expectHeader().exists("Retry-After");
        assertError(limited, 429, "rate_limit", "rate_limited");
        assertThat(SERVICES.next(Duration.ofMillis(300)))
                .as("nothing forwarded")
                .isNull();
    }

    @Test
    void aSuspendedTenantsKeyAndSessionAre403UntilItIsUnsuspended() {
        String tenant = "ten_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
        String key = liveKey("key_" + UUID.randomUUID(), tenant, Scopes.ALL, null);
        TestKafka.send(
                Topics.KEY_EVENTS,
                tenant,
                new TenantEvent.TenantSuspended(UUID.randomUUID(), tenant, Instant.now(), 1, "abuse", "operator"));
        await().atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> status(key) == 403);
        assertError(
                http.get().uri("/v1/sandboxes").header("x-api-key", key).exchange(),
                403,
                "permission",
                "tenant_suspended");
        assertThat(status(BOOT_KEY)).as("other tenants are untouched").isEqualTo(200);
        TestKafka.send(
                Topics.KEY_EVENTS,
                tenant,
                new TenantEvent.TenantUnsuspended(UUID.randomUUID(), tenant, Instant.now(), 1, "operator"));
        await().atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> status(key) == 200);
    }

    @Test
    void signUpIsInTheOpenApiDocumentWithoutACredential() throws Exception {
        JsonNode document = JSON.readTree(http.get()
                .uri("/v1/openapi.json")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .returnResult()
                .getResponseBody());
        JsonNode signUp = document.path("paths").path("/v1/signup").path("post");
        assertThat(signUp.isMissingNode()).isFalse();
        assertThat(signUp.path("security")).isEmpty();
        assertThat(document.path("components")
                        .path("schemas")
                        .path("SignupView")
                        .path("properties")
                        .has("apiKey"))
                .isTrue();
        for (String path : new String[] {"/v1/tenants/{id}/suspend", "/v1/tenants/{id}/unsuspend"}) {
            assertThat(document.path("paths").path(path).path("post").isMissingNode())
                    .as(path)
                    .isFalse();
        }
        assertThat(document.path("paths")
                        .path("/v1/tenants/{id}/plan")
                        .path("put")
                        .isMissingNode())
                .isFalse();
        assertThat(document.path("paths")
                        .path("/v1/settings/signup")
                        .path("put")
                        .isMissingNode())
                .isFalse();
    }

    private WebTestClient.ResponseSpec signUp(String email) {
        return http.post()
                .uri("/v1/signup")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "Someone", "email", email))
                .exchange();
    }

    private int status(String key) {
        return http.get()
                .uri("/v1/sandboxes")
                .header("x-api-key", key)
                .exchange()
                .returnResult(byte[].class)
                .getStatus()
                .value();
    }
}
