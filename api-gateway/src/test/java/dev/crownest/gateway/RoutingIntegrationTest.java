package dev.crownest.gateway;

import static dev.crownest.gateway.ApiErrors.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crownest.contracts.security.InternalHeaders;
import dev.crownest.contracts.security.Scopes;
import dev.crownest.contracts.security.ServiceTokens;
import dev.crownest.testing.TestInfrastructure;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import reactor.core.publisher.Flux;

/**
 * What the gateway forwards and what it refuses itself: bodies read and checked, exports streamed,
 * services' errors passed through, unknown routes and methods, and the OpenAPI document of the routes.
 */
class RoutingIntegrationTest extends GatewayWithStandIns {

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
        // the internal call is signed: the gateway's service credential, valid under the stack's secret
        assertThat(new ServiceTokens(TestInfrastructure.SERVICE_SECRET, Clock.systemUTC())
                        .verify(forwarded.headers().get(InternalHeaders.SERVICE_TOKEN)))
                .isEqualTo(new ServiceTokens.Accepted("api-gateway"));
    }

    @Test
    void aServiceTokenAClientSendsNeverReachesAServiceAsItsOwn() throws Exception {
        String key = liveKey("key_" + UUID.randomUUID(), "t_" + UUID.randomUUID(), Scopes.ALL, null);
        SERVICES.reset();
        SERVICES.answer(request -> new StandInService.Reply(200, "{\"data\":[]}"));
        http.get()
                .uri("/v1/sandboxes")
                .header("x-api-key", key)
                .header(InternalHeaders.SERVICE_TOKEN, "v1.api-gateway.9999999999." + "A".repeat(43))
                .exchange()
                .expectStatus()
                .isOk();
        StandInService.Seen forwarded = SERVICES.next(Duration.ofSeconds(5));
        assertThat(forwarded.headers().getAll(InternalHeaders.SERVICE_TOKEN)).hasSize(1);
        assertThat(new ServiceTokens(TestInfrastructure.SERVICE_SECRET, Clock.systemUTC())
                        .verify(forwarded.headers().get(InternalHeaders.SERVICE_TOKEN)))
                .isEqualTo(new ServiceTokens.Accepted("api-gateway"));
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
                // without credentials a real route answers 401 (a signed URL without its signature 403, a
                // sign-up, which takes none, without its body 400); an unknown one 404 route_not_found
                EntityExchangeResult<byte[]> answer = http.method(HttpMethod.valueOf(method))
                        .uri(concrete)
                        .exchange()
                        .expectBody()
                        .returnResult();
                assertThat(answer.getStatus().value())
                        .as(method + " " + path.getKey())
                        .isEqualTo(
                                switch (path.getKey()) {
                                    case "/v1/signed/files" -> 403;
                                    case "/v1/signup" -> 400;
                                    default -> 401;
                                });
            }
        }
        assertThat(operations).isGreaterThanOrEqualTo(21);
        assertThat(document.path("paths").has("/v1/signed/files"))
                .as("the signed files route, in no route table")
                .isTrue();
    }
}
