package dev.crownest.gateway;

import static dev.crownest.gateway.ApiErrors.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.crownest.contracts.event.KeyEvent;
import dev.crownest.contracts.event.Topics;
import dev.crownest.contracts.security.Scopes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Previews on their own origin at the gateway (issue 15, F3, F10, F11), with a stand-in of the node's
 * tunnel and the app behind it: every request is sent to the gateway's address with the preview's name in
 * the Host header, as a browser resolving {@code *.localhost} sends it. The preview lookup is cached for an
 * hour here, so an ended sandbox can only be noticed through its event.
 */
class PreviewHostIntegrationTest extends GatewayWithStandIns {
    private static final String DOMAIN = "preview.localhost";
    private static StandInPreviewApp app;

    private final String tenant = "t_" + UUID.randomUUID();
    private final String sandbox = "sbx_" + UUID.randomUUID().toString().replace("-", "");
    private final String previewId = "prv_" + UUID.randomUUID().toString().replace("-", "");
    private final String host = "8000-" + sandbox.substring(4) + "." + DOMAIN;
    private volatile String sandboxStatus = "running";

    @DynamicPropertySource
    static void previews(DynamicPropertyRegistry registry) {
        registry.add("crownest.preview.lookup-cache", () -> "1h");
        registry.add("crownest.preview.secret", () -> "preview-secret-of-this-test-class");
    }

    @BeforeAll
    static void startApp() throws Exception {
        app = new StandInPreviewApp();
        NODE.tunnel(app.port());
    }

    @AfterAll
    static void stopApp() throws Exception {
        app.close();
    }

    @BeforeEach
    void sandboxServiceKnowsThePreview() {
        SERVICES.answer(seen -> {
            if (seen.uri().startsWith("/internal/previews?sandboxId=" + sandbox + "&port=8000")) {
                return new StandInService.Reply(200, target());
            }
            if (seen.uri().startsWith("/internal/sandboxes/" + sandbox + "/previews/" + previewId)) {
                return new StandInService.Reply(200, view());
            }
            return new StandInService.Reply(404, "{\"error\":{\"code\":\"preview_not_found\"}}");
        });
    }

    /** F3: the preview has its own origin; the API is never served there and previews never on the API's. */
    @Test
    void aPreviewIsServedOnItsOwnHostAndTheApiNeverIs() throws Exception {
        String key = liveKey("key_" + UUID.randomUUID(), tenant, Scopes.ALL, null);
        // an API path on a preview host is the app's path
        String seen = onPreview(host, "/v1/sandboxes?limit=1", Map.of("x-api-key", key));
        assertThat(seen).startsWith("GET /v1/sandboxes?limit=1 HTTP/1.1");
        // an app's absolute paths work (they broke under the path-based /v1/previews/{id}/)
        assertThat(onPreview(host, "/static/app.js", Map.of("x-api-key", key))).isEqualTo(StandInPreviewApp.SCRIPT);
        // the app cannot set a cookie for the whole preview domain: its Domain attribute is dropped
        EntityExchangeResult<byte[]> answer = get(host, "/", Map.of("x-api-key", key));
        assertThat(answer.getResponseHeaders().get("Set-Cookie")).containsExactly("app=1; Path=/");
        // names under the domain that are no preview, and the domain itself: 404 in the error shape
        for (String unknown : List.of(
                DOMAIN,
                "api." + DOMAIN,
                "8000-nosuchsandbox." + DOMAIN,
                "99999-" + sandbox.substring(4) + "." + DOMAIN)) {
            assertError(
                    request(unknown, "/v1/sandboxes", Map.of("x-api-key", key)), 404, "not_found", "preview_not_found");
        }
        assertError(request(host, "/", Map.of()), 401, "authentication", "preview_auth_required");
        // the old path-based URL is no route of the API
        assertError(
                http.get()
                        .uri("/v1/previews/" + previewId + "/")
                        .header("x-api-key", key)
                        .exchange(),
                404,
                "not_found",
                "route_not_found");
        // the preview's URL as the API gives it: its own host, at the gateway's port
        String url = JSON.readTree(http.get()
                        .uri("/v1/sandboxes/" + sandbox + "/previews/" + previewId)
                        .header("x-api-key", key)
                        .exchange()
                        .expectStatus()
                        .isOk()
                        .expectBody()
                        .returnResult()
                        .getResponseBody())
                .path("url")
                .asText();
        assertThat(url).matches("http://" + host.replace(".", "\\.") + ":[0-9]+/");
    }

    /** F11: no platform credential reaches the app; its own cookies do. */
    @Test
    void theAppNeverReceivesThePlatformsCredentials() throws Exception {
        String key = liveKey("key_" + UUID.randomUUID(), tenant, Scopes.ALL, null);
        String seen = onPreview(
                host,
                "/echo",
                Map.of(
                        "x-api-key", key,
                        "Authorization", "Bearer cn_admin_secret-of-an-admin",
                        "Cookie", "app=1; crownest_preview=abc.def"));
        assertThat(seen)
                .contains("Host: localhost:8000")
                .containsIgnoringCase("X-Forwarded-Host: " + host)
                .contains("app=1")
                .doesNotContain(key)
                .doesNotContainIgnoringCase("authorization")
                .doesNotContain("cn_admin_secret-of-an-admin")
                .doesNotContain("crownest_preview");
    }

    /** F10: a session opened with a key's token is host-only, and ends when that key is revoked. */
    @Test
    void aSessionIsHostOnlyAndEndsWithTheKeyThatOpenedIt() throws Exception {
        String keyId = "key_" + UUID.randomUUID();
        String key = liveKey(keyId, tenant, Scopes.ALL, null);
        String cookie = session(key);
        assertThat(onPreview(host, "/page", Map.of("Cookie", cookie))).startsWith("GET /page HTTP/1.1");
        TestKafka.send(
                Topics.KEY_EVENTS,
                keyId,
                new KeyEvent.ApiKeyRevoked(UUID.randomUUID(), tenant, Instant.now(), 1, keyId, "operator"));
        await().atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(50))
                .until(() ->
                        get(host, "/page", Map.of("Cookie", cookie)).getStatus().value() == 401);
        assertError(request(host, "/page", Map.of("Cookie", cookie)), 401, "authentication", "key_revoked");
    }

    /** A session ends with its sandbox at the next request after the sandbox's event, not after the lookup cache. */
    @Test
    void aSessionEndsWithItsSandbox() throws Exception {
        String key = liveKey("key_" + UUID.randomUUID(), tenant, Scopes.ALL, null);
        String cookie = session(key);
        assertThat(onPreview(host, "/page", Map.of("Cookie", cookie))).startsWith("GET /page HTTP/1.1");
        sandboxStatus = "killed";
        TestKafka.send(Topics.SANDBOX_EVENTS, sandbox, Map.of("type", "SandboxKilled", "sandboxId", sandbox));
        await().atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(50))
                .until(() ->
                        get(host, "/page", Map.of("Cookie", cookie)).getStatus().value() == 410);
        assertError(request(host, "/page", Map.of("Cookie", cookie)), 410, "not_found", "preview_closed");
    }

    /** Opens a browser session with a token minted by {@code key}: the cookie's {@code name=value}. */
    private String session(String key) throws Exception {
        String url = JSON.readTree(http.post()
                        .uri("/v1/sandboxes/" + sandbox + "/previews/" + previewId + "/tokens")
                        .header("x-api-key", key)
                        .exchange()
                        .expectStatus()
                        .isCreated()
                        .expectBody()
                        .returnResult()
                        .getResponseBody())
                .path("url")
                .asText();
        assertThat(url).contains("://" + host + ":").contains("/_crownest/session?token=");
        String pathAndQuery = url.substring(url.indexOf("/_crownest/"));
        EntityExchangeResult<byte[]> exchanged = get(host, pathAndQuery, Map.of());
        assertThat(exchanged.getStatus().value()).isEqualTo(303);
        assertThat(exchanged.getResponseHeaders().getFirst("Location")).isEqualTo("/");
        String setCookie = exchanged.getResponseHeaders().getFirst("Set-Cookie");
        assertThat(setCookie)
                .startsWith("crownest_preview=")
                .containsPattern("Path=/(;|$)")
                .containsIgnoringCase("HttpOnly")
                .contains("SameSite=Lax")
                .doesNotContainIgnoringCase("domain");
        assertError(request(host, pathAndQuery, Map.of()), 401, "authentication", "preview_token_used");
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    private String onPreview(String host, String pathAndQuery, Map<String, String> headers) {
        EntityExchangeResult<byte[]> answer = get(host, pathAndQuery, headers);
        assertThat(answer.getStatus().value())
                .as(new String(answer.getResponseBodyContent(), StandardCharsets.UTF_8))
                .isEqualTo(200);
        return new String(answer.getResponseBodyContent(), StandardCharsets.UTF_8);
    }

    private EntityExchangeResult<byte[]> get(String host, String pathAndQuery, Map<String, String> headers) {
        return request(host, pathAndQuery, headers).expectBody().returnResult();
    }

    private WebTestClient.ResponseSpec request(String host, String pathAndQuery, Map<String, String> headers) {
        var spec = http.get().uri(pathAndQuery).header("Host", host);
        headers.forEach(spec::header);
        return spec.exchange();
    }

    private String target() {
        return "{\"previewId\":\"" + previewId + "\",\"tenantId\":\"" + tenant
                + "\",\"projectId\":null,\"sandboxId\":\""
                + sandbox + "\",\"port\":8000,\"status\":\"active\",\"sandboxStatus\":\"" + sandboxStatus
                + "\",\"nodeId\":null}";
    }

    private String view() {
        return "{\"id\":\"" + previewId + "\",\"sandboxId\":\"" + sandbox
                + "\",\"projectId\":null,\"port\":8000,\"status\":\"active\",\"createdAt\":\"2026-01-01T00:00:00Z\"}";
    }
}
