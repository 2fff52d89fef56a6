package dev.crownest.sandbox.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The node agent's start and stop, as sandbox-service calls them, for its tests without gVisor: this
 * test plays the node as the other tests play the execution worker (posting its reports). A start answers
 * at once with {@code nodeId}, or once {@link #release()}d after {@link #hold()}.
 */
public final class NodeStandIn {
    /** The node id this stand-in answers for every sandbox it starts. */
    public static final String NODE_ID = "node-7";

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpServer server;
    private volatile CompletableFuture<Void> gate = CompletableFuture.completedFuture(null);

    public NodeStandIn() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/node/v1/sandboxes", this::handle);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Starts answer only after {@link #release()}. */
    public void hold() {
        gate = new CompletableFuture<>();
    }

    public void release() {
        gate.complete(null);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (exchange.getRequestMethod().equals("DELETE")) {
                exchange.sendResponseHeaders(204, -1);
                return;
            }
            JsonNode spec = JSON.readTree(exchange.getRequestBody());
            gate.get(30, TimeUnit.SECONDS);
            byte[] body = JSON.writeValueAsBytes(Map.of(
                    "sandboxId", spec.path("sandboxId").asText(),
                    "tenantId", spec.path("tenantId").asText(),
                    "state", "running",
                    "template", spec.path("template").asText(),
                    "nodeId", NODE_ID));
            exchange.getResponseHeaders().set("content-type", "application/json");
            exchange.sendResponseHeaders(201, body.length);
            exchange.getResponseBody().write(body);
        } catch (Exception e) {
            byte[] body =
                    ("{\"error\":{\"code\":\"stand_in\",\"message\":\"" + e + "\"}}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(500, body.length);
            exchange.getResponseBody().write(body);
        }
    }
}
