package dev.crownest.gateway;

import static dev.crownest.gateway.ApiErrors.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crownest.contracts.event.KeyEvent;
import dev.crownest.contracts.event.Topics;
import dev.crownest.contracts.security.Scopes;
import dev.crownest.gateway.kafka.BroadcastTopicReader;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

/**
 * API keys and sessions at the gateway: who is let through, as whom, under which scope, how fast a
 * revocation bites, and the per-key rate limit.
 */
class KeyAuthenticationIntegrationTest extends GatewayWithStandIns {

    @Autowired
    private List<BroadcastTopicReader<?>> readers;

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
    void aKeyOverItsRateGets429WithRetryAfterAndNothingIsForwarded() throws Exception {
        String key = liveKey("key_" + UUID.randomUUID(), "t_" + UUID.randomUUID(), Scopes.ALL, null);
        SERVICES.reset();
        SERVICES.answer(request -> new StandInService.Reply(200, "{\"data\":[],\"nextCursor\":null}"));
        // 100 calls at once: the bucket's 40 plus what 20/s refills while they run are served, the rest refused
        long t0 = System.nanoTime();
        List<CompletableFuture<EntityExchangeResult<byte[]>>> calls = new ArrayList<>();
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
}
