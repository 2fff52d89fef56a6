package dev.crownest.gateway.key;

import java.util.Arrays;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketSession;
import reactor.core.publisher.Mono;

/**
 * An API key on a browser's WebSocket. Browsers cannot set {@code x-api-key} on a WebSocket, and a key in
 * the URL would be written to access logs and history; so a browser offers two subprotocols,
 * {@code Sec-WebSocket-Protocol: crownest.v1, crownest.key.<key>}. The key is read from the second before
 * the upgrade, as {@code x-api-key} would be; the handshake answers {@code crownest.v1} alone (the key is
 * never echoed). Only upgrade requests are read this way; a header key wins when both are sent.
 */
public final class SocketKey {
    private static final String PROTOCOL_HEADER = "Sec-WebSocket-Protocol";

    /** The subprotocol the gateway's sockets answer with. */
    public static final String PROTOCOL = "crownest.v1";
    /** The subprotocol that carries the key. */
    public static final String KEY_PREFIX = "crownest.key.";

    private SocketKey() {}

    /** The key offered in the subprotocols of a WebSocket upgrade, or null. */
    public static String from(ServerRequest request) {
        HttpHeaders headers = request.headers().asHttpHeaders();
        if (!"websocket".equalsIgnoreCase(headers.getUpgrade())) {
            return null;
        }
        List<String> offered = headers.getOrEmpty(PROTOCOL_HEADER);
        return offered.stream()
                .flatMap(value -> Arrays.stream(value.split(",")))
                .map(String::trim)
                .filter(protocol -> protocol.startsWith(KEY_PREFIX) && protocol.length() > KEY_PREFIX.length())
                .map(protocol -> protocol.substring(KEY_PREFIX.length()))
                .findFirst()
                .orElse(null);
    }

    /**
     * The handler as one that speaks {@link #PROTOCOL}: a browser that offered subprotocols fails a handshake
     * that selects none, so every socket a browser may open is wrapped in this.
     */
    public static WebSocketHandler answering(WebSocketHandler handler) {
        return new WebSocketHandler() {
            @Override
            public List<String> getSubProtocols() {
                return List.of(PROTOCOL);
            }

            @Override
            public Mono<Void> handle(WebSocketSession session) {
                return handler.handle(session);
            }
        };
    }
}
