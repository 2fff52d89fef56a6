package dev.crownest.nodeclient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.crownest.contracts.api.ApiException;
import dev.crownest.contracts.node.SandboxChange;
import dev.crownest.nodeclient.protocol.ExecFrames;
import dev.crownest.nodeclient.protocol.ExecRequest;
import dev.crownest.nodeclient.protocol.NodePaths;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The client against a stand-in node agent: the paths it calls, the bodies it sends, frames read back
 * whole whatever their split, and a node's refusals as the ApiException the node gave.
 */
class NodeClientTest {
    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();
    private static final Duration LIMIT = Duration.ofSeconds(10);

    private HttpServer server;
    private URI node;
    private final Map<String, String> seen = new ConcurrentHashMap<>();
    private final NodeClient client = new NodeClient(WebClient.builder(), JSON, Duration.ofSeconds(3));

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::answer);
        server.start();
        node = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void aTtlChangeCarriesTheNewDeadlineAndAPauseAnEmptyBody() {
        Instant deadline = Instant.parse("2026-01-02T03:04:05Z");
        client.change(node, "sbx_1", SandboxChange.EXTEND_TTL, deadline).block(LIMIT);
        assertThat(seen.get("POST /node/v1/sandboxes/sbx_1/ttl")).isEqualTo("{\"expiresAt\":\"2026-01-02T03:04:05Z\"}");
        client.change(node, "sbx_1", SandboxChange.PAUSE, null).block(LIMIT);
        assertThat(seen.get("POST /node/v1/sandboxes/sbx_1/pause")).isEqualTo("{}");
    }

    @Test
    void execFramesArriveWholeAndInOrder() {
        List<ExecFrames.Frame> frames = client.exec(
                        node, "sbx_1", new ExecRequest("cmd_1", "echo", null, null, 1000, null, null))
                .collectList()
                .block(LIMIT);
        assertThat(frames).extracting(ExecFrames.Frame::stream).containsExactly("stdout", "stderr", "exit");
        assertThat(frames.get(0).payload()).hasSize(300_000);
        assertThat(new String(frames.get(1).payload(), StandardCharsets.UTF_8)).isEqualTo("oops\n");
        assertThat(seen.get("POST /node/v1/sandboxes/sbx_1/exec accept")).isEqualTo(ExecFrames.MEDIA_TYPE);
    }

    @Test
    void aRefusalIsTheNodesApiExceptionAndAnUnknownCommandIsNothingToCancel() {
        assertThatThrownBy(() -> client.stop(node, "sbx_gone").block(LIMIT))
                .isInstanceOfSatisfying(ApiException.class, refused -> {
                    assertThat(refused.status()).isEqualTo(404);
                    assertThat(refused.code()).isEqualTo("sandbox_not_found");
                    assertThat(refused.getMessage()).isEqualTo("no sandbox sbx_gone");
                });
        assertThatThrownBy(() -> client.exec(node, "sbx_gone", new ExecRequest(null, "true", null, null, 1, null, null))
                        .blockLast(LIMIT))
                .isInstanceOfSatisfying(
                        ApiException.class,
                        refused -> assertThat(refused.code()).isEqualTo("sandbox_not_found"));
        assertThatThrownBy(() -> client.previewTunnel(node.resolve("/broken/")).block(LIMIT))
                .isInstanceOfSatisfying(ApiException.class, refused -> {
                    assertThat(refused.status()).isEqualTo(500);
                    assertThat(refused.code()).isEqualTo("upstream_error");
                });
        assertThat(client.cancel(node, "sbx_1", "cmd_unknown").block(LIMIT)).isFalse();
        assertThat(client.cancel(node, "sbx_1", "cmd_1").block(LIMIT)).isTrue();
    }

    @Test
    void pathsAndQueryValuesAreEncodedStrictly() {
        URI uri = NodeClient.uri(node, NodePaths.FILES_MOVE, Map.of("from", "a b&c+d%.txt"), "sbx_1");
        assertThat(uri.getRawPath()).isEqualTo("/node/v1/sandboxes/sbx_1/files/move");
        assertThat(uri.getRawQuery()).isEqualTo("from=a%20b%26c%2Bd%25.txt");
    }

    private void answer(HttpExchange exchange) throws IOException {
        String key =
                exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath();
        byte[] body = exchange.getRequestBody().readAllBytes();
        seen.put(key, new String(body, StandardCharsets.UTF_8));
        seen.put(key + " accept", String.valueOf(exchange.getRequestHeaders().getFirst("Accept")));
        String path = exchange.getRequestURI().getPath();
        if (path.contains("sbx_gone")) {
            send(
                    exchange,
                    404,
                    "{\"error\":{\"type\":\"not_found\",\"code\":\"sandbox_not_found\","
                            + "\"message\":\"no sandbox sbx_gone\"}}");
        } else if (path.startsWith("/broken/")) {
            send(exchange, 500, "not json");
        } else if (path.endsWith("/exec")) {
            ByteArrayOutputStream frames = new ByteArrayOutputStream();
            ExecFrames.writeOutput(frames, "stdout", new byte[300_000]);
            ExecFrames.writeOutput(frames, "stderr", "oops\n".getBytes(StandardCharsets.UTF_8));
            ExecFrames.writeExit(frames, "{\"stream\":\"exit\",\"exitCode\":0}".getBytes(StandardCharsets.UTF_8));
            exchange.getResponseHeaders().set("Content-Type", ExecFrames.MEDIA_TYPE);
            exchange.sendResponseHeaders(200, 0); // chunked: the frames arrive split
            try (OutputStream out = exchange.getResponseBody()) {
                byte[] all = frames.toByteArray();
                for (int at = 0; at < all.length; at += 4093) {
                    out.write(all, at, Math.min(4093, all.length - at));
                    out.flush();
                }
            }
        } else if (path.endsWith("/cmd_unknown/cancel")) {
            send(
                    exchange,
                    404,
                    "{\"error\":{\"type\":\"not_found\",\"code\":\"command_not_found\",\"message\":\"-\"}}");
        } else if (path.endsWith("/cancel")) {
            send(exchange, 202, "{\"cancelled\":true}");
        } else {
            send(exchange, 200, "{\"sandboxId\":\"sbx_1\",\"state\":\"running\"}");
        }
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
