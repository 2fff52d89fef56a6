package dev.crownest.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client's HTTP rules against a local server on 127.0.0.1 that answers what the test scripts: the
 * error shape as exception classes, retries on 429/503 after Retry-After with the same Idempotency-Key,
 * and no retry of what could run twice. (The same against the real gateway: the stack tests.)
 */
class TransportTest {

    private HttpServer server;
    private final List<String> keys = new CopyOnWriteArrayList<>();
    private final AtomicInteger calls = new AtomicInteger();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private CrowNest client(int maxRetries) {
        return CrowNest.builder()
                .apiKey("cn_test")
                .baseUrl("http://127.0.0.1:" + server.getAddress().getPort() + "/")
                .maxRetries(maxRetries)
                .backoff(Duration.ofMillis(10))
                .build();
    }

    private static void answer(HttpExchange ex, int status, String body, String... headers) throws IOException {
        for (int i = 0; i < headers.length; i += 2) {
            ex.getResponseHeaders().add(headers[i], headers[i + 1]);
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("content-type", "application/json");
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
    }

    @Test
    void errorAnswersBecomeTheirClassWithStatusCodeAndRequestId() {
        server.createContext(
                "/v1/sandboxes/sbx_1",
                ex -> answer(
                        ex,
                        404,
                        "{\"error\":{\"type\":\"not_found\",\"code\":\"sandbox_not_found\",\"message\":\"no such sandbox\","
                                + "\"requestId\":\"req_1\"}}"));
        server.createContext("/v1/sandboxes/sbx_2", ex -> answer(ex, 409, "not json", "x-request-id", "req_2"));
        NotFoundException e = catchThrowableOfType(
                NotFoundException.class, () -> client(0).sandboxes().get("sbx_1"));
        assertThat(e.status()).isEqualTo(404);
        assertThat(e.code()).isEqualTo("sandbox_not_found");
        assertThat(e.type()).isEqualTo("not_found");
        assertThat(e.requestId()).isEqualTo("req_1");
        assertThat(e).hasMessage("no such sandbox");
        ConflictException raw = catchThrowableOfType(
                ConflictException.class, () -> client(0).sandboxes().get("sbx_2"));
        assertThat(raw.code()).isEqualTo("http_409");
        assertThat(raw.requestId()).isEqualTo("req_2");
        assertThat(raw).hasMessage("not json");
    }

    @Test
    void a503And429AreRetriedAfterRetryAfterWithOneIdempotencyKey() {
        server.createContext("/v1/sandboxes/sbx_1/commands", ex -> {
            keys.add(ex.getRequestHeaders().getFirst("idempotency-key"));
            switch (calls.incrementAndGet()) {
                case 1 -> answer(ex, 503, "{\"error\":{\"code\":\"no_capacity\"}}", "retry-after", "1");
                case 2 -> answer(ex, 429, "{\"error\":{\"code\":\"rate_limited\"}}", "retry-after", "0.2");
                default ->
                    answer(
                            ex,
                            201,
                            "{\"id\":\"cmd_1\",\"status\":\"finished\",\"exitCode\":0,\"stdout\":\"ok\\n\",\"stderr\":\"\"}");
            }
        });
        server.createContext("/v1/sandboxes/sbx_1", ex -> answer(ex, 200, "{\"id\":\"sbx_1\",\"status\":\"running\"}"));
        long started = System.nanoTime();
        CommandResult r = client(4).sandboxes().get("sbx_1").commands().run("echo ok");
        assertThat(r.stdout()).isEqualTo("ok\n");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(1200));
        assertThat(keys).hasSize(3).doesNotContainNull();
        assertThat(new ArrayList<>(keys).stream().distinct()).hasSize(1);
    }

    @Test
    void retriesStopAtMaxRetries() {
        server.createContext("/v1/sandboxes", ex -> {
            calls.incrementAndGet();
            answer(ex, 503, "{\"error\":{\"code\":\"no_capacity\"}}", "retry-after", "0");
        });
        UnavailableException e = catchThrowableOfType(
                UnavailableException.class, () -> client(2).sandboxes().list());
        assertThat(calls.get()).isEqualTo(3);
        assertThat(e.retryAfter()).contains(Duration.ZERO);
    }

    @Test
    void aChangeWithoutIdempotencyKeyIsNotRetriedOnADroppedConnection() {
        server.createContext("/v1/things", ex -> {
            calls.incrementAndGet();
            ex.close(); // no answer at all
        });
        CrowNest client = client(3);
        catchThrowableOfType(ConnectionException.class, () -> client.request("PUT", "/v1/things", null));
        // request() gives changes a key, so that PUT was retried; a stream body never is
        int withKey = calls.getAndSet(0);
        assertThat(withKey).isEqualTo(4);
        server.createContext("/v1/sandboxes/sbx_1", ex -> answer(ex, 200, "{\"id\":\"sbx_1\",\"status\":\"running\"}"));
        server.createContext("/v1/sandboxes/sbx_1/files", ex -> {
            calls.incrementAndGet();
            ex.close();
        });
        ConnectionException e = catchThrowableOfType(
                ConnectionException.class,
                () -> client.sandboxes().get("sbx_1").files().write("a.txt", new ByteArrayInputStream(new byte[] {
                    1, 2, 3
                })));
        assertThat(e.status()).isZero();
        assertThat(e.code()).isEqualTo("connection_failed");
        assertThat(calls.get()).isEqualTo(1);
    }

    @Test
    void retryAfterIsReadAsSecondsOrAnHttpDate() {
        assertThat(Transport.retryAfter(headers("3"))).isEqualTo(Duration.ofSeconds(3));
        assertThat(Transport.retryAfter(headers("Wed, 21 Oct 2015 07:28:00 GMT")))
                .isEqualTo(Duration.ZERO);
        assertThat(Transport.retryAfter(headers("soon"))).isNull();
    }

    private static java.net.http.HttpHeaders headers(String retryAfter) {
        return java.net.http.HttpHeaders.of(java.util.Map.of("retry-after", List.of(retryAfter)), (a, b) -> true);
    }
}
