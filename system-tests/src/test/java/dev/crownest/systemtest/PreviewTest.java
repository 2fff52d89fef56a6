package dev.crownest.systemtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crownest.contracts.security.Scopes;
import dev.crownest.sdk.CommandResult;
import dev.crownest.sdk.CreateSandboxOptions;
import dev.crownest.sdk.CrowNest;
import dev.crownest.sdk.RawResponse;
import dev.crownest.sdk.RunOptions;
import dev.crownest.sdk.Sandbox;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Previews end to end, through the public API, against a python sandbox of network {@code off}:
 * an http.server and a WebSocket echo app reached at their preview URLs with an API key and with a
 * token-mode browser session, every refusal (401, 403, 404, 410), one preview per port, and the
 * preview's death with its sandbox.
 */
class PreviewTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void aPortInsideTheSandboxIsServedOnlyToItsTenantsCredentials() throws Exception {
        CrowNest client = SystemUnderTest.client();
        CrowNest operator = SystemUnderTest.operator();
        String key = SystemUnderTest.apiKey();

        Sandbox box = client.sandboxes()
                .create(new CreateSandboxOptions().template("python").ttl(Duration.ofMillis(600_000)));
        String sandbox = box.id();
        String app;
        try (InputStream in = PreviewTest.class.getResourceAsStream("/preview-echo-server.py")) {
            app = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(box.commands()
                        .run("cat > /workspace/app.py", new RunOptions().stdin(app))
                        .exitCode())
                .isZero();
        CommandResult started = box.commands()
                .run(
                        "cd /workspace && echo hello-preview > index.html && "
                                + "(nohup python3 -m http.server 8000 >/dev/null 2>&1 &) && (nohup python3 app.py 8001 >/dev/null 2>&1 &) && "
                                + "(nohup python3 -c \"import http.server as h; h.BaseHTTPRequestHandler.protocol_version='HTTP/1.1'; "
                                + "h.ThreadingHTTPServer(('127.0.0.1', 8002), h.SimpleHTTPRequestHandler).serve_forever()\" >/dev/null 2>&1 &)");
        assertThat(started.exitCode()).as(started.toString()).isZero();

        // one preview per sandbox and port: a second create, also a simultaneous one, answers the first
        var first = client.http().send("POST", "/v1/sandboxes/" + sandbox + "/previews", Map.of("port", 8000));
        assertThat(first.status()).as(first.text()).isEqualTo(201);
        String previewId = first.field("id");
        String url = first.field("url");
        assertThat(previewId).startsWith("prv_");
        // its own origin: {port}-{sandbox id without sbx_}.preview.localhost at the gateway's port
        assertThat(url)
                .isEqualTo("http://8000-" + sandbox.substring(4) + ".preview.localhost:"
                        + URI.create(client.baseUrl()).getPort() + "/");
        var again = client.http().send("POST", "/v1/sandboxes/" + sandbox + "/previews", Map.of("port", 8000));
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.field("id")).isEqualTo(previewId);
        List<CompletableFuture<RawResponse>> racing = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            racing.add(CompletableFuture.supplyAsync(
                    () -> client.http().send("POST", "/v1/sandboxes/" + sandbox + "/previews", Map.of("port", 8001))));
        }
        List<String> racedIds = racing.stream()
                .map(CompletableFuture::join)
                .peek(a -> assertThat(a.status()).as(a.text()).isIn(200, 201))
                .map(a -> a.field("id"))
                .distinct()
                .toList();
        assertThat(racedIds).as("simultaneous creates of one port").hasSize(1);
        String echoPreview = racedIds.getFirst();
        assertThat(box.previews().list().data()).hasSize(2);
        assertThat(client.http()
                        .send("POST", "/v1/sandboxes/" + sandbox + "/previews", Map.of("port", 70000))
                        .status())
                .isEqualTo(400);

        // with the key: the app's answer (the server may need a moment to listen)
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> get(url + "index.html", Map.of("x-api-key", key)).statusCode() == 200);
        HttpResponse<String> page = get(url + "index.html", Map.of("x-api-key", key));
        assertThat(page.body()).isEqualTo("hello-preview\n");
        // an API path on the preview's host is the app's (404 of http.server), never the API
        HttpResponse<String> apiPath = get(url + "v1/sandboxes", Map.of("x-api-key", key));
        assertThat(apiPath.statusCode()).isEqualTo(404);
        assertThat(apiPath.body()).doesNotContain("\"error\"");
        // the path-based URL of before is no route of the API
        assertThat(client.http().send("GET", "/v1/previews/" + previewId + "/").status())
                .isEqualTo(404);

        // what reaches the app: no CrowNest credential, the app's own cookies, Host localhost
        String echoUrl = box.previews().get(echoPreview).url();
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> get(echoUrl, Map.of("x-api-key", key)).statusCode() == 200);
        String seen = get(
                        echoUrl + "deep/path?q=1",
                        Map.of(
                                "x-api-key",
                                key,
                                "Authorization",
                                "Bearer cn_admin_not-for-the-app",
                                "Cookie",
                                "app=1; crownest_preview=abc"))
                .body();
        assertThat(seen)
                .startsWith("GET /deep/path?q=1 HTTP/1.1")
                .contains("Host: localhost:8001")
                .contains("app=1")
                .doesNotContain(key)
                .doesNotContain("cn_admin_not-for-the-app")
                .doesNotContain("crownest_preview")
                .containsIgnoringCase("x-forwarded-host: " + URI.create(echoUrl).getAuthority());

        // refusals, in the one error shape
        assertError(get(url, Map.of()), 401, "preview_auth_required");
        assertError(get(url, Map.of("x-api-key", "cn_live_nope")), 401, "invalid_api_key");
        assertError(get(url, Map.of("Cookie", "crownest_preview=forged.sig")), 401, "invalid_preview_session");
        String unknown = url.replace(sandbox.substring(4), "nosuchsandbox");
        assertError(get(unknown, Map.of()), 401, "preview_auth_required");
        assertError(get(unknown, Map.of("x-api-key", key)), 404, "preview_not_found");
        List<String> withoutRead = new ArrayList<>(Scopes.ALL);
        withoutRead.remove(Scopes.PREVIEWS_READ);
        String noRead = key(operator, "default", withoutRead);
        assertError(get(url, Map.of("x-api-key", noRead)), 403, "missing_scope");
        String run = UUID.randomUUID().toString().substring(0, 8);
        var tenantB = operator.http().send("POST", "/v1/tenants", Map.of("name", "preview-b-" + run, "plan", "pro"));
        assertThat(tenantB.status()).as(tenantB.text()).isEqualTo(201);
        String keyOfB = key(operator, tenantB.field("id"), Scopes.ALL);
        assertError(get(url, Map.of("x-api-key", keyOfB)), 404, "preview_not_found");
        assertThat(SystemUnderTest.withKey(keyOfB)
                        .http()
                        .send("POST", "/v1/sandboxes/" + sandbox + "/previews", Map.of("port", 8000))
                        .status())
                .isEqualTo(404);

        // token mode: a token opens a session once; the cookie works for its preview only
        var token =
                client.http().send("POST", "/v1/sandboxes/" + sandbox + "/previews/" + previewId + "/tokens", Map.of());
        assertThat(token.status()).as(token.text()).isEqualTo(201);
        HttpResponse<String> exchanged = get(token.field("url"), Map.of());
        assertThat(exchanged.statusCode()).as(exchanged.body()).isEqualTo(303);
        assertThat(token.field("url")).startsWith(url + "_crownest/session?token=");
        assertThat(exchanged.headers().firstValue("location")).hasValue("/");
        String setCookie = exchanged.headers().firstValue("set-cookie").orElseThrow();
        assertThat(setCookie)
                .startsWith("crownest_preview=")
                .containsPattern("Path=/(;|$)")
                .doesNotContainIgnoringCase("domain")
                .containsIgnoringCase("HttpOnly")
                .contains("SameSite=Lax")
                .contains("Max-Age=3600");
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        assertError(get(token.field("url"), Map.of()), 401, "preview_token_used");
        HttpResponse<String> byCookie = get(url + "index.html", Map.of("Cookie", cookie));
        assertThat(byCookie.statusCode()).isEqualTo(200);
        assertThat(byCookie.body()).isEqualTo("hello-preview\n");
        assertError(get(echoUrl, Map.of("Cookie", cookie)), 401, "invalid_preview_session");
        String echoToken = client.http()
                .send("POST", "/v1/sandboxes/" + sandbox + "/previews/" + echoPreview + "/tokens", Map.of())
                .field("token");
        assertError(get(url + "_crownest/session?token=" + echoToken, Map.of()), 401, "invalid_preview_token");

        // F10: a session ends with the key that asked for its token
        var minter = operator.http()
                .send(
                        "POST",
                        "/v1/keys?tenantId=default",
                        Map.of("name", "preview session minter", "scopes", Scopes.ALL));
        assertThat(minter.status()).as(minter.text()).isEqualTo(201);
        var minted = SystemUnderTest.withKey(minter.field("key"))
                .http()
                .send("POST", "/v1/sandboxes/" + sandbox + "/previews/" + previewId + "/tokens", Map.of());
        assertThat(minted.status()).as(minted.text()).isEqualTo(201);
        String minterSetCookie = get(minted.field("url"), Map.of())
                .headers()
                .firstValue("set-cookie")
                .orElseThrow();
        String minterCookie = minterSetCookie.substring(0, minterSetCookie.indexOf(';'));
        assertThat(get(url + "index.html", Map.of("Cookie", minterCookie)).statusCode())
                .isEqualTo(200);
        assertThat(operator.http()
                        .send("DELETE", "/v1/keys/" + minter.field("id") + "?tenantId=default")
                        .status())
                .isIn(200, 204);
        await().atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> get(url, Map.of("Cookie", minterCookie)).statusCode() == 401);
        assertError(get(url, Map.of("Cookie", minterCookie)), 401, "key_revoked");

        // a WebSocket through the preview
        List<String> received = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> echoed = new CompletableFuture<>();
        WebSocket socket = http.newWebSocketBuilder()
                .header("x-api-key", key)
                .header("Host", URI.create(echoUrl).getAuthority())
                .buildAsync(
                        URI.create(toGateway(echoUrl).replaceFirst("^http", "ws") + "socket"),
                        new WebSocket.Listener() {
                            @Override
                            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                                received.add(data.toString());
                                if (received.size() == 2) {
                                    echoed.complete(null);
                                }
                                ws.request(1);
                                return null;
                            }
                        })
                .get(20, TimeUnit.SECONDS);
        socket.sendText("ping-1", true).get(5, TimeUnit.SECONDS);
        socket.sendText("x".repeat(5000), true).get(5, TimeUnit.SECONDS);
        echoed.get(20, TimeUnit.SECONDS);
        assertThat(received).containsExactly("ping-1", "x".repeat(5000));
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);

        // figures, interleaved: a preview GET of an HTTP/1.0 app (a new relay, one runsc exec, per request), of a
        // keep-alive HTTP/1.1 app (the gateway's pooled tunnel is reused), and an authenticated API read
        String keepAliveUrl = client.http()
                .send("POST", "/v1/sandboxes/" + sandbox + "/previews", Map.of("port", 8002))
                .field("url");
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> get(keepAliveUrl + "index.html", Map.of("x-api-key", key))
                                .statusCode()
                        == 200);
        List<Long> preview = new ArrayList<>();
        List<Long> keptAlive = new ArrayList<>();
        List<Long> api = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            long t0 = System.nanoTime();
            assertThat(get(url + "index.html", Map.of("x-api-key", key)).statusCode())
                    .isEqualTo(200);
            preview.add(System.nanoTime() - t0);
            t0 = System.nanoTime();
            assertThat(get(keepAliveUrl + "index.html", Map.of("x-api-key", key))
                            .body())
                    .isEqualTo("hello-preview\n");
            keptAlive.add(System.nanoTime() - t0);
            t0 = System.nanoTime();
            assertThat(client.http().send("GET", "/v1/sandboxes/" + sandbox).status())
                    .isEqualTo(200);
            api.add(System.nanoTime() - t0);
        }
        System.out.printf(
                "preview GET p50 %.1f ms (p95 %.1f) HTTP/1.0 app, %.1f ms (p95 %.1f) keep-alive app; "
                        + "GET /v1/sandboxes/{id} p50 %.1f ms (30 each, interleaved)%n",
                percentile(preview, 50),
                percentile(preview, 95),
                percentile(keptAlive, 50),
                percentile(keptAlive, 95),
                percentile(api, 50));

        // closed on request: 410; the preview dies with its sandbox
        assertThat(client.http()
                        .send("DELETE", "/v1/sandboxes/" + sandbox + "/previews/" + echoPreview)
                        .field("status"))
                .isEqualTo("closed");
        assertError(get(echoUrl, Map.of("x-api-key", key)), 410, "preview_closed");
        assertThat(client.http().send("DELETE", "/v1/sandboxes/" + sandbox).status())
                .isEqualTo(200);
        await().atMost(Duration.ofSeconds(3))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> get(url, Map.of("x-api-key", key)).statusCode() == 410);
        assertError(get(url, Map.of("Cookie", cookie)), 410, "preview_closed");
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> client.http()
                        .send("GET", "/v1/sandboxes/" + sandbox + "/previews/" + previewId)
                        .field("status")
                        .equals("closed"));
        assertThat(client.http()
                        .send("POST", "/v1/sandboxes/" + sandbox + "/previews", Map.of("port", 8000))
                        .status())
                .isEqualTo(409);
    }

    /** Nearest rank, in milliseconds. */
    private static double percentile(List<Long> nanos, int p) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        return sorted.get(Math.max(0, (int) Math.ceil(p / 100.0 * sorted.size()) - 1)) / 1e6;
    }

    /**
     * GET of a URL, a preview's included: Java does not resolve {@code *.localhost}, so a preview's URL is
     * sent to the gateway's address with the preview's host in the Host header, as a browser sends it.
     */
    private HttpResponse<String> get(String url, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(toGateway(url)))
                .timeout(Duration.ofSeconds(30))
                .GET();
        if (URI.create(url).getHost().endsWith(".localhost")) {
            request.header("Host", URI.create(url).getAuthority());
        }
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The URL with a preview's host replaced by the gateway's loopback address (same port). */
    private static String toGateway(String url) {
        URI uri = URI.create(url);
        return uri.getHost().endsWith(".localhost") ? url.replaceFirst("//[^/:]+", "//127.0.0.1") : url;
    }

    private static void assertError(HttpResponse<String> answer, int status, String code) throws Exception {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
        JsonNode error = JSON.readTree(answer.body()).path("error");
        assertThat(error.path("code").asText()).as(answer.body()).isEqualTo(code);
        assertThat(error.path("requestId").asText()).startsWith("req_");
    }

    /** A new key of {@code tenantId} (the operator acts for any tenant), its secret. */
    private static String key(CrowNest operator, String tenantId, List<String> scopes) {
        var created = operator.http()
                .send("POST", "/v1/keys?tenantId=" + tenantId, Map.of("name", "preview test", "scopes", scopes));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        return created.field("key");
    }
}
