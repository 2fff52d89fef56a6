package dev.crownest.nodeclient;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crownest.nodeclient.protocol.NodePaths;
import dev.crownest.nodeclient.protocol.TerminalFrames;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.client.ReactorNettyWebSocketClient;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;

/**
 * {@link NodeClient}'s WebSockets to nodes ({@link NodePaths#PTY}): the handshake carries what
 * every other call to a node carries, the WebClient builder's filters' headers (the service credential
 * among them), and a refused handshake fails as the node's refusal.
 */
final class NodeSockets {
    private static final byte[] EMPTY = new byte[0];

    private final ReactorNettyWebSocketClient sockets;
    /** The builder's filters over an exchange that answers a request with its own headers. */
    private final WebClient handshakeHeaders;

    private final ObjectMapper json;
    private final String service;

    NodeSockets(WebClient.Builder builder, HttpClient http, ObjectMapper json, String service) {
        this.sockets = new ReactorNettyWebSocketClient(
                http, () -> WebsocketClientSpec.builder().maxFramePayloadLength(TerminalFrames.MAX_FRAME_BYTES));
        this.handshakeHeaders = builder.clone()
                .exchangeFunction(request -> Mono.just(ClientResponse.create(HttpStatus.OK)
                        .headers(headers -> headers.addAll(request.headers()))
                        .build()))
                .build();
        this.json = json;
        this.service = service;
    }

    /** Opens the socket at {@code http} (its ws:// or wss:// twin) and hands it to {@code handler}. */
    Mono<Void> open(URI http, WebSocketHandler handler) {
        URI ws = UriComponentsBuilder.fromUri(http)
                .scheme("https".equals(http.getScheme()) ? "wss" : "ws")
                .build(true)
                .toUri();
        return handshakeHeaders
                .get()
                .uri(http)
                .exchangeToMono(echo -> Mono.just(echo.headers().asHttpHeaders()))
                .flatMap(headers -> sockets.execute(ws, headers, handler))
                .onErrorMap(WebSocketClientHandshakeException.class, refused -> {
                    byte[] body = refused.response() instanceof FullHttpResponse full
                            ? ByteBufUtil.getBytes(full.content())
                            : EMPTY;
                    return ErrorAnswers.refusal(
                            json, refused.response().status().code(), body, service);
                });
    }
}
