package dev.crownest.gateway.preview;

import dev.crownest.contracts.api.ApiException;
import dev.crownest.contracts.api.PreviewTarget;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.proxy.ProxyConnectException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import org.springframework.http.HttpCookie;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;
import org.springframework.web.reactive.socket.client.ReactorNettyWebSocketClient;
import org.springframework.web.reactive.socket.server.WebSocketService;
import org.springframework.web.reactive.socket.server.support.HandshakeWebSocketService;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/**
 * Forwards an authenticated preview request to its port inside the sandbox, through the node's
 * tunnel: HTTP/1.1 with bodies streamed both ways, or a WebSocket bridged frame by frame. The
 * caller's CrowNest credentials (x-api-key, Authorization, the preview cookie) never reach the sandbox;
 * hop-by-hop headers stay at each hop; {@code Host} is {@code localhost:<port>}, as for a local dev server,
 * and {@code X-Forwarded-Host} the preview's host. The app's cookies are kept to its host (no Domain).
 */
@Component
class PreviewProxy {
    private static final Set<String> HOP_BY_HOP = Set.of(
            "connection",
            "keep-alive",
            "proxy-authenticate",
            "proxy-authorization",
            "proxy-connection",
            "te",
            "trailer",
            "transfer-encoding",
            "upgrade",
            "host");
    /** The platform's credentials and what the gateway itself says about the caller. */
    private static final Set<String> NOT_FORWARDED = Set.of(
            "x-api-key",
            "authorization",
            "cookie",
            "forwarded",
            "x-forwarded-for",
            "x-forwarded-host",
            "x-forwarded-proto",
            "x-forwarded-prefix",
            "sec-websocket-key",
            "sec-websocket-version",
            "sec-websocket-extensions",
            "sec-websocket-protocol",
            "sec-websocket-accept");

    /** A Domain attribute of the app's Set-Cookie, dropped so the cookie stays on its preview's host. */
    private static final Pattern HOST_ONLY = Pattern.compile("(?i);\\s*domain=[^;]*");

    private final NodeTunnels tunnels;
    private final WebSocketService sockets = new HandshakeWebSocketService();

    PreviewProxy(NodeTunnels tunnels) {
        this.tunnels = tunnels;
    }

    /** Serves {@code path} (raw, with the query) of {@code target}'s port. */
    Mono<Void> forward(ServerWebExchange exchange, PreviewTarget target, String path) {
        ServerHttpRequest request = exchange.getRequest();
        String authority = NodeTunnels.host(target.sandboxId()) + ":" + target.port();
        HttpHeaders headers = upstreamHeaders(request, target);
        boolean webSocket = "websocket".equalsIgnoreCase(request.getHeaders().getUpgrade());
        return tunnels.client(target.nodeId())
                .onErrorMap(e -> unavailable(e, target))
                .flatMap(client -> webSocket
                        ? bridge(exchange, client, URI.create("ws://" + authority + path), headers)
                        : http(exchange, client, "http://" + authority + path, headers))
                .onErrorMap(e -> !(e instanceof ApiException), e -> {
                    if (causedBy(e, ConnectException.class)) {
                        tunnels.forget(target.nodeId());
                    }
                    return unavailable(e, target);
                });
    }

    private Mono<Void> http(ServerWebExchange exchange, HttpClient client, String uri, HttpHeaders headers) {
        ServerHttpRequest request = exchange.getRequest();
        ServerHttpResponse response = exchange.getResponse();
        NettyDataBufferFactory buffers = (NettyDataBufferFactory) response.bufferFactory();
        boolean hasBody = request.getHeaders().getContentLength() > 0
                || request.getHeaders().containsKey(HttpHeaders.TRANSFER_ENCODING);
        var sender = client.headers(h -> headers.forEach(h::set))
                .request(HttpMethod.valueOf(request.getMethod().name()))
                .uri(uri);
        var receiver = hasBody ? sender.send(request.getBody().map(NettyDataBufferFactory::toByteBuf)) : sender;
        return receiver.response((answer, body) -> {
                    response.setRawStatusCode(answer.status().code());
                    HttpHeaders out = response.getHeaders();
                    answer.responseHeaders().forEach(entry -> {
                        String name = entry.getKey().toLowerCase(Locale.ROOT);
                        if (HOP_BY_HOP.contains(name)) {
                            return;
                        }
                        if (name.equals("set-cookie")) {
                            // host-only: an app cannot set a cookie for the preview domain, and so for others
                            out.add(
                                    entry.getKey(),
                                    HOST_ONLY.matcher(entry.getValue()).replaceAll(""));
                        } else {
                            out.add(entry.getKey(), entry.getValue());
                        }
                    });
                    Flux<ByteBuf> retained = body.retain();
                    return response.writeWith(retained.map(buffers::wrap));
                })
                .then();
    }

    private Mono<Void> bridge(ServerWebExchange exchange, HttpClient client, URI uri, HttpHeaders headers) {
        List<String> protocols = exchange.getRequest().getHeaders().getOrEmpty("Sec-WebSocket-Protocol").stream()
                .flatMap(value -> Arrays.stream(value.split(",")))
                .map(String::trim)
                .filter(p -> !p.isEmpty())
                .toList();
        ReactorNettyWebSocketClient upstreamClient = new ReactorNettyWebSocketClient(client);
        WebSocketHandler toSandbox = new WebSocketHandler() {
            @Override
            public List<String> getSubProtocols() {
                return protocols;
            }

            @Override
            public Mono<Void> handle(WebSocketSession caller) {
                return upstreamClient
                        .execute(uri, headers, new WebSocketHandler() {
                            @Override
                            public List<String> getSubProtocols() {
                                return protocols;
                            }

                            @Override
                            public Mono<Void> handle(WebSocketSession sandbox) {
                                Mono<Void> up = sandbox.send(caller.receive()
                                                .filter(PreviewProxy::isData)
                                                .map(m -> copy(m, sandbox)))
                                        .then(sandbox.close());
                                Mono<Void> down = caller.send(sandbox.receive()
                                                .filter(PreviewProxy::isData)
                                                .map(m -> copy(m, caller)))
                                        .then(caller.close());
                                return Mono.when(up, down);
                            }
                        })
                        .onErrorResume(e -> caller.close(CloseStatus.SERVER_ERROR.withReason(
                                "the preview's port did not accept the WebSocket")));
            }
        };
        return sockets.handleRequest(exchange, toSandbox);
    }

    private static boolean isData(WebSocketMessage message) {
        return message.getType() == WebSocketMessage.Type.TEXT || message.getType() == WebSocketMessage.Type.BINARY;
    }

    private static WebSocketMessage copy(WebSocketMessage message, WebSocketSession to) {
        byte[] bytes = new byte[message.getPayload().readableByteCount()];
        message.getPayload().read(bytes);
        return new WebSocketMessage(message.getType(), to.bufferFactory().wrap(bytes));
    }

    /** The request's headers for the sandbox's server. */
    private static HttpHeaders upstreamHeaders(ServerHttpRequest request, PreviewTarget target) {
        HttpHeaders headers = new HttpHeaders();
        request.getHeaders().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!HOP_BY_HOP.contains(lower) && !NOT_FORWARDED.contains(lower)) {
                headers.put(name, values);
            }
        });
        // the app's own cookies go on, the preview session never does
        String cookies = request.getCookies().values().stream()
                .flatMap(List::stream)
                .filter(cookie -> !PreviewGate.COOKIE.equals(cookie.getName()))
                .map(HttpCookie::toString)
                .collect(Collectors.joining("; "));
        if (!cookies.isEmpty()) {
            headers.set(HttpHeaders.COOKIE, cookies);
        }
        headers.set(HttpHeaders.HOST, "localhost:" + target.port());
        InetSocketAddress remote = request.getRemoteAddress();
        if (remote != null && remote.getAddress() != null) {
            headers.set("X-Forwarded-For", remote.getAddress().getHostAddress());
        }
        headers.set(
                "X-Forwarded-Proto",
                request.getURI().getScheme() == null ? "http" : request.getURI().getScheme());
        if (request.getURI().getRawAuthority() != null) {
            headers.set("X-Forwarded-Host", request.getURI().getRawAuthority());
        }
        return headers;
    }

    private static ApiException unavailable(Throwable failure, PreviewTarget target) {
        if (failure instanceof ApiException known) {
            return known;
        }
        if (failure instanceof ProxyConnectException refused
                && refused.getMessage() != null
                && refused.getMessage().contains("status: 409")) {
            return new ApiException(
                    HttpStatus.CONFLICT.value(),
                    "conflict",
                    "sandbox_paused",
                    "sandbox " + target.sandboxId() + " is paused; resume it first");
        }
        if (causedBy(failure, ProxyConnectException.class)) {
            return new ApiException(
                    HttpStatus.BAD_GATEWAY.value(),
                    "unavailable",
                    "preview_port_unreachable",
                    "nothing answers on port " + target.port() + " inside sandbox " + target.sandboxId());
        }
        return new ApiException(
                HttpStatus.BAD_GATEWAY.value(),
                "unavailable",
                "preview_upstream_failed",
                "the preview's port in sandbox " + target.sandboxId() + " could not be reached or broke off");
    }

    private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
