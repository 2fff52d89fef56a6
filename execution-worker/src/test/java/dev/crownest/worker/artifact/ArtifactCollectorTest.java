package dev.crownest.worker.artifact;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.crownest.contracts.api.CollectError;
import dev.crownest.contracts.api.CollectFile;
import dev.crownest.contracts.event.CommandEvent;
import dev.crownest.contracts.security.InternalHeaders;
import dev.crownest.contracts.security.ServiceTokens;
import dev.crownest.kit.auth.ServiceCredential;
import dev.crownest.kit.auth.WebClientCredential;
import dev.crownest.nodeclient.NodeClient;
import dev.crownest.testing.TestInfrastructure;
import dev.crownest.worker.report.SandboxServiceReports;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The collector's HTTP plumbing against one local server standing in for both the node's files API and
 * sandbox-service's upload (the real pair is covered end to end by the system tests' ArtifactsTest):
 * bytes arrive whole with their length and {@code Expect: 100-continue}, the node's error codes and
 * sandbox-service's refusals become collect errors, and a 5xx is retried with a fresh read from the node.
 */
class ArtifactCollectorTest {
    private HttpServer server;
    private final Map<String, byte[]> workspace = new ConcurrentHashMap<>();
    private final Map<String, byte[]> uploaded = new ConcurrentHashMap<>();
    private final Map<String, String> uploadHeaders = new ConcurrentHashMap<>();
    private final AtomicInteger unavailableAnswers = new AtomicInteger();
    private final AtomicInteger nodeReads = new AtomicInteger();
    /** What each call's service credential was found to be, by the stand-in (as the real services check it). */
    private final List<ServiceTokens.Verdict> credentials = new CopyOnWriteArrayList<>();

    private final ServiceTokens tokens = new ServiceTokens(TestInfrastructure.SERVICE_SECRET, Clock.systemUTC());
    private ArtifactCollector collector;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/node/v1/sandboxes/sbx_1/files", checked(this::nodeFile));
        server.createContext("/internal/reports/commands/cmd_1/artifacts", checked(this::upload));
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        ObjectMapper json = new ObjectMapper();
        ServiceCredential credential =
                new ServiceCredential(tokens, "execution-worker", Duration.ofMinutes(5), Clock.systemUTC(), List.of());
        collector = new ArtifactCollector(
                new NodeClient(
                        WebClient.builder().filter(new WebClientCredential(credential)), json, Duration.ofSeconds(3)),
                URI.create(url),
                new SandboxServiceReports(json, url, credential));
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void filesTravelWholeAndEveryFailureIsACollectErrorOfItsPath() {
        byte[] big = new byte[3 * 1024 * 1024 + 17];
        new Random(1).nextBytes(big);
        workspace.put("out/big.bin", big);
        workspace.put("too-large.bin", new byte[10]);
        workspace.put("flaky.txt", "flaky\n".getBytes(StandardCharsets.UTF_8));
        unavailableAnswers.set(2); // the first two uploads of flaky.txt meet a restarting sandbox-service

        List<CollectError> errors =
                collector.collect(command("out/big.bin", "missing.txt", "too-large.bin", "flaky.txt"));

        assertThat(uploaded.get("out/big.bin")).isEqualTo(big);
        assertThat(uploadHeaders.get("out/big.bin"))
                .containsIgnoringCase("expect=100-continue")
                .contains("length=" + big.length);
        assertThat(uploaded.get("flaky.txt")).asString(StandardCharsets.UTF_8).isEqualTo("flaky\n");
        assertThat(errors)
                .containsExactly(
                        new CollectError("missing.txt", "file_not_found", "no file missing.txt"),
                        new CollectError("too-large.bin", "artifact_too_large", "sandbox-service answered 413"));
        assertThat(nodeReads.get())
                .as("big, missing, too-large, flaky three times")
                .isEqualTo(6);
        assertThat(credentials)
                .as("six reads from the node and five uploads (none of the missing file), each signed by the worker")
                .hasSize(6 + 5)
                .containsOnly(new ServiceTokens.Accepted("execution-worker"));
    }

    private CommandEvent.CommandStarted command(String... paths) {
        return new CommandEvent.CommandStarted(
                UUID.randomUUID(),
                "t1",
                Instant.now(),
                1,
                "cmd_1",
                "sbx_1",
                "make",
                "/workspace",
                Map.of(),
                60_000,
                null,
                "key_1",
                Arrays.stream(paths).map(CollectFile::of).toList());
    }

    private void nodeFile(HttpExchange exchange) throws IOException {
        nodeReads.incrementAndGet();
        String path = query(exchange, "path");
        byte[] content = workspace.get(path);
        if (content == null) {
            answer(
                    exchange,
                    404,
                    "{\"error\":{\"type\":\"not_found\",\"code\":\"file_not_found\",\"message\":\"no file " + path
                            + "\"}}");
            return;
        }
        exchange.sendResponseHeaders(200, content.length);
        try (var out = exchange.getResponseBody()) {
            out.write(content);
        }
    }

    private void upload(HttpExchange exchange) throws IOException {
        String path = query(exchange, "path");
        if (path.equals("too-large.bin")) {
            answer(
                    exchange,
                    413,
                    "{\"error\":{\"type\":\"invalid_request\",\"code\":\"artifact_too_large\",\"message\":\"too large\"}}");
            return;
        }
        byte[] body = exchange.getRequestBody().readAllBytes();
        if (path.equals("flaky.txt") && unavailableAnswers.getAndDecrement() > 0) {
            answer(
                    exchange,
                    503,
                    "{\"error\":{\"type\":\"unavailable\",\"code\":\"starting\",\"message\":\"starting\"}}");
            return;
        }
        uploaded.put(path, body);
        uploadHeaders.put(
                path,
                "expect=" + exchange.getRequestHeaders().getFirst("Expect") + " length="
                        + exchange.getRequestHeaders().getFirst("Content-Length"));
        answer(exchange, 201, "{\"id\":\"art_1\"}");
    }

    private HttpHandler checked(HttpHandler handler) {
        return exchange -> {
            credentials.add(tokens.verify(exchange.getRequestHeaders().getFirst(InternalHeaders.SERVICE_TOKEN)));
            handler.handle(exchange);
        };
    }

    private static String query(HttpExchange exchange, String name) {
        for (String pair : exchange.getRequestURI().getRawQuery().split("&")) {
            String[] kv = pair.split("=", 2);
            if (kv[0].equals(name)) {
                return URLDecoder.decode(kv[1], StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private static void answer(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("content-type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        try (var out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
