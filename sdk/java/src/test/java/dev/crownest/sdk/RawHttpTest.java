package dev.crownest.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The raw escape hatch against a local server on 127.0.0.1: answers as they came (an error is an answer,
 * sent once), the client's key unless replaced or left out, bodies by their type, absolute URLs, and
 * server-sent events read as they arrive.
 */
class RawHttpTest {

    /** One request as the server saw it. */
    record Seen(String method, String uri, String key, String contentType, String body) {}

    private HttpServer server;
    private final List<Seen> seen = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            seen.add(new Seen(
                    ex.getRequestMethod(),
                    ex.getRequestURI().toString(),
                    ex.getRequestHeaders().getFirst("x-api-key"),
                    ex.getRequestHeaders().getFirst("content-type"),
                    new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            if (ex.getRequestURI().getPath().endsWith("/events")) {
                answer(
                        ex,
                        200,
                        "text/event-stream",
                        "event: stdout\nid: 7\ndata: {\"data\":\"hi\"}\n\n: ping\n\n"
                                + "event: exit\ndata: {\"exitCode\":0}\n\n");
            } else if (ex.getRequestURI().getPath().endsWith("/busy")) {
                answer(ex, 503, "application/json", "{\"error\":{\"code\":\"no_capacity\",\"message\":\"busy\"}}");
            } else {
                answer(ex, 200, "text/plain", "plain text");
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private RawHttp http() {
        return CrowNest.builder().apiKey("cn_test").baseUrl(url()).build().http();
    }

    private static void answer(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("content-type", type);
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
    }

    @Test
    void anErrorIsAnAnswerSentOnceWithItsCodeAndHeaders() {
        RawResponse res = http().send("POST", "/v1/busy", Map.of("template", "base"));
        assertThat(res.status()).isEqualTo(503);
        assertThat(res.errorCode()).isEqualTo("no_capacity");
        assertThat(res.json().path("error").path("message").asText()).isEqualTo("busy");
        assertThat(res.header("Content-Type")).isEqualTo("application/json");
        assertThat(seen).hasSize(1);
        assertThat(seen.get(0).key()).isEqualTo("cn_test");
        assertThat(seen.get(0).contentType()).isEqualTo("application/json");
        assertThat(seen.get(0).body()).isEqualTo("{\"template\":\"base\"}");
    }

    @Test
    void aBodyIsSentByItsTypeAndHeadersReplaceTheClients(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("f"), "from a file");
        RawHttp http = http();
        http.send("POST", "/v1/a?x=1", "{not json");
        http.send("PUT", "/v1/b", "bytes".getBytes(StandardCharsets.UTF_8), Map.of("Content-Type", "text/x"));
        http.send("PUT", "/v1/c", file, Map.of("x-api-key", "cn_other"));
        http.anonymous().send("GET", url() + "/signed?sig=abc");
        RawResponse text = http.send("GET", "/v1/d");
        assertThat(new ArrayList<>(seen))
                .containsExactly(
                        new Seen("POST", "/v1/a?x=1", "cn_test", "application/json", "{not json"),
                        new Seen("PUT", "/v1/b", "cn_test", "text/x", "bytes"),
                        new Seen("PUT", "/v1/c", "cn_other", "application/octet-stream", "from a file"),
                        new Seen("GET", "/signed?sig=abc", null, null, ""),
                        new Seen("GET", "/v1/d", "cn_test", null, ""));
        assertThat(text.text()).isEqualTo("plain text");
        assertThat(text.json()).isNull();
        assertThat(text.field("id")).isNull();
    }

    @Test
    void serverSentEventsAreReadAsTheyArrive() {
        List<RawEvent> events = new ArrayList<>();
        try (RawStream stream = http().open("GET", "/v1/events", null, Map.of("accept", "text/event-stream"))) {
            assertThat(stream.status()).isEqualTo(200);
            assertThat(stream.events(events::add)).isFalse();
        }
        assertThat(events)
                .containsExactly(
                        new RawEvent("stdout", "{\"data\":\"hi\"}", "7"),
                        new RawEvent("exit", "{\"exitCode\":0}", null));
        assertThat(events.get(0).json().path("data").asText()).isEqualTo("hi");
    }
}
