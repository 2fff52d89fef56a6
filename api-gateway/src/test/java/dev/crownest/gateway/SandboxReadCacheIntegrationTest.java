package dev.crownest.gateway;

import static dev.crownest.gateway.ApiErrors.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.crownest.contracts.event.SandboxEvent;
import dev.crownest.contracts.event.Topics;
import dev.crownest.contracts.security.Scopes;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The gateway's sandbox read cache ({@code gateway.sandbox.SandboxReadCache}): reads answered from it
 * until a sandbox event, exact per tenant and project, and a kill through this gateway read back at once.
 */
class SandboxReadCacheIntegrationTest extends GatewayWithStandIns {

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
                new SandboxEvent.SandboxExpired(UUID.randomUUID(), tenant, Instant.now(), 1, sandboxId, "system:ttl"));
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
}
