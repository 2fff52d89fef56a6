package dev.crownest.gateway;

import static dev.crownest.gateway.ApiErrors.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.crownest.contracts.security.Scopes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

/**
 * Idempotency keys at the gateway: a repeated request is answered from the first answer, a reused
 * key with another request is refused, simultaneous requests do the work once, and refusals give the key back.
 */
class IdempotencyIntegrationTest extends GatewayWithStandIns {

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

    /**
     * F13 (issue 15): every replay of a 201 logged an UnsupportedOperationException at error level (a second
     * attempt wrote to the committed response). A replay logs nothing at error level now.
     */
    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void aReplayLogsNothingAtErrorLevel(CapturedOutput output) throws Exception {
        String key = liveKey("key_" + UUID.randomUUID(), "t_" + UUID.randomUUID(), Scopes.ALL, null);
        String idem = "idem-" + UUID.randomUUID();
        SERVICES.reset();
        SERVICES.answer(request -> new StandInService.Reply(201, "{\"id\":\"sbx_f13\"}"));
        for (int i = 0; i < 3; i++) {
            http.post()
                    .uri("/v1/sandboxes")
                    .header("x-api-key", key)
                    .header("Idempotency-Key", idem)
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue("{\"template\":\"base\"}")
                    .exchange()
                    .expectStatus()
                    .isCreated();
        }
        // the failure was logged just after the replay's answer went out
        Thread.sleep(500);
        assertThat(output.getAll())
                .doesNotContain("UnsupportedOperationException")
                .doesNotContain("already committed")
                .doesNotContain(" ERROR ");
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
        var forwarded = new AtomicInteger();
        SERVICES.answer(request -> {
            int n = forwarded.incrementAndGet();
            try {
                Thread.sleep(400); // the others arrive while this one works
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new StandInService.Reply(201, "{\"id\":\"sbx_" + n + "\"}");
        });
        List<CompletableFuture<EntityExchangeResult<byte[]>>> calls = new ArrayList<>();
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
}
