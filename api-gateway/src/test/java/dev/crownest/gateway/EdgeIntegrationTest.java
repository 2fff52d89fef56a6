package dev.crownest.gateway;

import static dev.crownest.gateway.ApiErrors.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The edge's own refusals (issue 15, "Also seen"): failed authentications are rate-limited per source
 * address and credential prefix (a low limit here: 3 at once, then 6 a minute), what Netty refuses is in
 * the one error shape, and a JSON body must say it is JSON.
 */
class EdgeIntegrationTest extends GatewayWithStandIns {

    @DynamicPropertySource
    static void lowAuthLimit(DynamicPropertyRegistry registry) {
        registry.add("crownest.auth-limit.failures-per-minute", () -> "6");
        registry.add("crownest.auth-limit.burst", () -> "3");
    }

    @Test
    void failedAuthenticationsAreLimitedPerSourceAndCredentialPrefix() {
        String guessing = "cn_live_gues";
        for (int i = 0; i < 3; i++) {
            assertError(
                    http.get()
                            .uri("/v1/sandboxes")
                            .header("x-api-key", guessing + UUID.randomUUID())
                            .exchange(),
                    401,
                    "authentication",
                    "invalid_api_key");
        }
        var limited = http.get()
                .uri("/v1/sandboxes")
                .header("x-api-key", guessing + UUID.randomUUID())
                .exchange();
        limited.expectHeader().exists("Retry-After");
        assertError(limited, 429, "rate_limit", "auth_rate_limited");
        // even the right key is held back under that prefix until the bucket refills; another prefix is not
        assertError(
                http.get()
                        .uri("/v1/sandboxes")
                        .header("x-api-key", "cn_live_othr" + UUID.randomUUID())
                        .exchange(),
                401,
                "authentication",
                "invalid_api_key");
        // the operator's well-known bootstrap key still works: successes are never counted
        http.get()
                .uri("/v1/sandboxes")
                .header("x-api-key", BOOT_KEY)
                .exchange()
                .expectStatus()
                .isOk();
    }

    @Test
    void oversizedHeadersGetTheErrorShape() {
        var answer = http.get()
                .uri("/v1/sandboxes")
                .header("x-api-key", BOOT_KEY)
                .header("x-padding", "a".repeat(20_000))
                .exchange();
        answer.expectHeader().valueMatches("x-request-id", "req_.+");
        assertError(answer, 431, "invalid_request", "headers_too_large");
    }

    /**
     * An overlong request line right after an ordinary answer, on the same kept-alive connection: with
     * Netty's decoder refusing it, about 1 in 50 got no answer at all (reactor-netty 1.2.11); refused by
     * {@code RequestSizeLimits}, each is answered, and the connection goes on.
     */
    @Test
    void overlongRequestLinesOnAKeptAliveConnectionAreAllAnswered414(@LocalServerPort int port) throws Exception {
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        String base = "http://127.0.0.1:" + port;
        String overlong = "/v1/templates/" + "y".repeat(5_000);
        for (int round = 0; round < 200; round++) {
            // relayed to a service: its exchange ends a moment after its answer is written
            HttpResponse<String> ordinary = client.send(
                    HttpRequest.newBuilder(URI.create(base + "/v1/tenants"))
                            .header("authorization", "Bearer " + ADMIN_TOKEN)
                            .timeout(Duration.ofSeconds(10))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(ordinary.statusCode()).isLessThan(500);
            HttpResponse<String> refused = client.send(
                    HttpRequest.newBuilder(URI.create(base + overlong))
                            .timeout(Duration.ofSeconds(10))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).as("round " + round).isEqualTo(414);
            assertThat(JSON.readTree(refused.body()).path("error").path("code").asText())
                    .isEqualTo("uri_too_long");
        }
    }

    @Test
    void aJsonBodyMustSayItIsJson() {
        assertError(
                http.post()
                        .uri("/v1/sandboxes")
                        .header("x-api-key", BOOT_KEY)
                        .contentType(MediaType.TEXT_PLAIN)
                        .bodyValue("{\"template\":\"base\"}")
                        .exchange(),
                415,
                "invalid_request",
                "unsupported_media_type");
        assertError(
                http.post()
                        .uri("/v1/sandboxes")
                        .header("x-api-key", BOOT_KEY)
                        .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                        .bodyValue("template=base")
                        .exchange(),
                415,
                "invalid_request",
                "unsupported_media_type");
        // no body, no type needed: the route answers (the stand-in says 200)
        SERVICES.answer(request -> new StandInService.Reply(200, "{\"id\":\"sbx_1\",\"status\":\"paused\"}"));
        assertThat(http.post()
                        .uri("/v1/sandboxes/sbx_1/pause")
                        .header("x-api-key", BOOT_KEY)
                        .exchange()
                        .returnResult(byte[].class)
                        .getStatus()
                        .value())
                .isNotEqualTo(415);
    }

    @Test
    void plainHttpAnswersCarryNoHsts() {
        http.get()
                .uri("/v1/sandboxes")
                .header("x-api-key", BOOT_KEY)
                .exchange()
                .expectHeader()
                .doesNotExist("Strict-Transport-Security");
    }
}
