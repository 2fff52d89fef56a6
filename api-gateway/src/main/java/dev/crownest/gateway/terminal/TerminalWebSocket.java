package dev.crownest.gateway.terminal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crownest.contracts.api.ApiError;
import dev.crownest.contracts.api.ApiException;
import dev.crownest.gateway.key.ApiKeyAuthentication;
import dev.crownest.gateway.key.ApiKeyGrant;
import dev.crownest.gateway.key.SocketKey;
import dev.crownest.gateway.request.RequestIds;
import dev.crownest.gateway.sandbox.SandboxHandler;
import dev.crownest.gateway.upstream.Upstream;
import dev.crownest.gateway.upstream.UpstreamAnswer;
import dev.crownest.nodeclient.NodeClient;
import dev.crownest.nodeclient.protocol.TerminalFrames;
import java.io.IOException;
import java.net.URI;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;
import org.springframework.web.reactive.socket.server.WebSocketService;
import org.springframework.web.reactive.socket.server.support.HandshakeWebSocketService;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * {@code GET /v1/sandboxes/{id}/pty}: a terminal in the sandbox over a WebSocket ({@link TerminalFrames}:
 * binary frames are keystrokes one way and the terminal's output the other; text frames a resize, and
 * the exit before a close with 1000). The route's filters checked the key and {@code commands:run};
 * here the query ({@link TerminalRequest}) and the sandbox (404 for another tenant's, 409 unless it
 * runs) are checked, then the node's terminal is opened, all before the client's upgrade, so every
 * refusal is an HTTP answer in the one error shape (503 {@code node_unavailable} for a node out of
 * reach). Then the gateway relays frames between the two sockets as they are, checking the client's
 * text frames; a client that leaves closes the node's socket, which kills the terminal's processes.
 */
@Component
public class TerminalWebSocket {
    private final SandboxHandler sandboxes;
    private final Upstream upstream;
    private final NodeClient nodes;
    private final URI node;
    private final TerminalRecords records;
    private final ObjectMapper json;
    private final WebSocketService sockets = new HandshakeWebSocketService();

    TerminalWebSocket(
            SandboxHandler sandboxes,
            Upstream upstream,
            NodeClient nodes,
            @Value("${crownest.node-agent.url:http://localhost:8083}") URI node,
            TerminalRecords records,
            ObjectMapper json) {
        this.sandboxes = sandboxes;
        this.upstream = upstream;
        this.nodes = nodes;
        this.node = node;
        this.records = records;
        this.json = json;
    }

    public Mono<ServerResponse> open(ServerRequest request) {
        String sandboxId = request.pathVariable("id");
        TerminalRequest terminal = TerminalRequest.of(request);
        return sandboxes.view(request, sandboxId).flatMap(answer -> {
            if (answer.isError()) {
                return upstream.respond(request, answer);
            }
            requireRunning(sandboxId, answer);
            // checked before the node's terminal is opened for nothing
            if (!"websocket".equalsIgnoreCase(request.headers().firstHeader(HttpHeaders.UPGRADE))) {
                throw ApiException.badRequest(
                        "websocket_required", "this route is a WebSocket: send the upgrade handshake");
            }
            return connect(request, sandboxId, terminal);
        });
    }

    private void requireRunning(String sandboxId, UpstreamAnswer answer) {
        String status;
        try {
            status = json.readTree(answer.body()).path("status").asText();
        } catch (IOException e) {
            throw ApiException.unavailable("sandbox_unreadable", "the sandbox's state cannot be read now");
        }
        if ("paused".equals(status)) {
            throw ApiException.conflict("sandbox_paused", "sandbox " + sandboxId + " is paused; resume it first");
        }
        if (!"running".equals(status)) {
            throw ApiException.conflict("sandbox_not_running", "sandbox " + sandboxId + " is " + status);
        }
    }

    /** Opens the node's terminal first; the client's upgrade follows once the node accepted it. */
    private Mono<ServerResponse> connect(ServerRequest request, String sandboxId, TerminalRequest terminal) {
        Sinks.One<WebSocketSession> nodeSide = Sinks.one();
        Sinks.Empty<Void> relayed = Sinks.empty();
        nodes.terminal(node, sandboxId, terminal.cols(), terminal.rows(), terminal.command(), session -> {
                    nodeSide.tryEmitValue(session);
                    return relayed.asMono();
                })
                .subscribe(null, nodeSide::tryEmitError, nodeSide::tryEmitEmpty);
        return nodeSide.asMono()
                .onErrorMap(failure -> !(failure instanceof ApiException), failure -> unreachable())
                .switchIfEmpty(Mono.error(this::unreachable))
                .flatMap(nodeSocket -> ServerResponse.ok()
                        .build((exchange, context) -> sockets.handleRequest(
                                        exchange,
                                        // answers the browser's subprotocol (a key offered as one), or it refuses
                                        SocketKey.answering(client -> relay(request, sandboxId, client, nodeSocket)
                                                .doFinally(signal -> relayed.tryEmitEmpty())))
                                // the upgrade's Mono ends once the client is upgraded, not with its session:
                                // only a failed upgrade lets the node's socket go here
                                .doOnError(failure -> relayed.tryEmitEmpty())))
                // a caller gone before its upgrade: the node's terminal must not wait for it
                .doOnCancel(relayed::tryEmitEmpty)
                .doOnError(failure -> relayed.tryEmitEmpty());
    }

    private Mono<Void> relay(ServerRequest request, String sandboxId, WebSocketSession client, WebSocketSession node) {
        ApiKeyGrant grant = ApiKeyAuthentication.grant(request);
        String terminalId = "pty_" + UUID.randomUUID().toString().replace("-", "");
        records.opened(grant.tenantId(), grant.keyId(), sandboxId, terminalId);
        AtomicReference<Integer> exitCode = new AtomicReference<>();
        Sinks.Many<WebSocketMessage> refusals = Sinks.many().unicast().onBackpressureBuffer();

        // The client's frames go to the node through a sink, not as node.send(client.receive()): the end of
        // the node's socket would cancel client.receive(), and Reactor Netty answers a cancelled receiver by
        // closing the client at once, without the status (1000 after an exit) it is owed.
        Sinks.Many<WebSocketMessage> toNode = Sinks.many().unicast().onBackpressureBuffer();
        Mono<Void> fromClient = client.receive()
                .doOnNext(message -> {
                    switch (message.getType()) {
                        case BINARY -> toNode.tryEmitNext(node.binaryMessage(buffers -> buffers.wrap(bytes(message))));
                        case TEXT -> {
                            String resize = resize(message.getPayloadAsText());
                            if (resize == null) {
                                refusals.tryEmitNext(client.textMessage(error(request)));
                            } else {
                                toNode.tryEmitNext(node.textMessage(resize));
                            }
                        }
                        default -> {
                            // pings and pongs are each connection's own
                        }
                    }
                })
                .then()
                .onErrorResume(gone -> Mono.empty())
                .doFinally(signal -> toNode.tryEmitComplete());
        Flux<WebSocketMessage> toClient = Flux.merge(
                node.receive()
                        .map(message -> {
                            if (message.getType() == WebSocketMessage.Type.TEXT) {
                                String text = message.getPayloadAsText();
                                exitCode.compareAndSet(null, exit(text));
                                return client.textMessage(text);
                            }
                            return client.binaryMessage(buffers -> buffers.wrap(bytes(message)));
                        })
                        .doFinally(signal -> refusals.tryEmitComplete()),
                refusals.asFlux());

        // each side ends quietly whatever the other did (an error here would cancel the others before their close)
        Mono<Void> intoNode = node.send(toNode.asFlux())
                .onErrorResume(gone -> Mono.empty())
                .then(Mono.defer(node::close))
                .onErrorResume(closedAlready -> Mono.empty());
        // the node closes 1000 right after its exit frame; without one the terminal was lost under it
        Mono<Void> fromNode = client.send(toClient)
                .onErrorResume(gone -> Mono.empty())
                .then(Mono.defer(() -> client.close(
                                exitCode.get() != null
                                        ? CloseStatus.NORMAL
                                        : CloseStatus.SERVER_ERROR.withReason(
                                                "the terminal ended without an exit: the sandbox stopped or was paused"))
                        .onErrorResume(closedAlready -> Mono.empty())));
        return Mono.when(fromClient, intoNode, fromNode)
                .doFinally(signal ->
                        records.closed(grant.tenantId(), grant.keyId(), sandboxId, terminalId, exitCode.get()));
    }

    /** A client's text frame as the node takes it, or null when it is not a valid resize. */
    private String resize(String text) {
        try {
            JsonNode frame = json.readTree(text);
            int cols = frame.path("cols").asInt(0);
            int rows = frame.path("rows").asInt(0);
            if (frame.path("type").asText().equals(TerminalFrames.RESIZE)
                    && frame.path("cols").isInt()
                    && frame.path("rows").isInt()
                    && TerminalFrames.validSize(cols)
                    && TerminalFrames.validSize(rows)) {
                return json.createObjectNode()
                        .put("type", TerminalFrames.RESIZE)
                        .put("cols", cols)
                        .put("rows", rows)
                        .toString();
            }
        } catch (IOException notJson) {
            // refused by the caller
        }
        return null;
    }

    /** The exit code of the node's exit frame, or null for another frame. */
    private Integer exit(String text) {
        try {
            JsonNode frame = json.readTree(text);
            return TerminalFrames.EXIT.equals(frame.path("type").asText())
                            && frame.path("exitCode").isInt()
                    ? frame.path("exitCode").asInt()
                    : null;
        } catch (IOException notJson) {
            return null;
        }
    }

    private String error(ServerRequest request) {
        ObjectNode frame = json.createObjectNode().put("type", "error").put("status", 400);
        frame.setAll((ObjectNode) json.valueToTree(ApiError.of(
                "invalid_request",
                "invalid_message",
                "text frames must be {\"type\":\"resize\",\"cols\":1-" + TerminalFrames.MAX_SIZE + ",\"rows\":1-"
                        + TerminalFrames.MAX_SIZE + "}; keystrokes go in binary frames",
                RequestIds.of(request.exchange()))));
        return frame.toString();
    }

    private static byte[] bytes(WebSocketMessage message) {
        byte[] bytes = new byte[message.getPayload().readableByteCount()];
        message.getPayload().read(bytes);
        return bytes;
    }

    private ApiException unreachable() {
        return ApiException.unavailable("node_unavailable", "the sandbox's node cannot be reached now");
    }
}
