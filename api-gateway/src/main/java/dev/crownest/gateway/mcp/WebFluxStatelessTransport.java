package dev.crownest.gateway.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crownest.gateway.key.ApiKeyAuthentication;
import dev.crownest.gateway.upstream.JsonBodies;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpStatelessServerHandler;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpStatelessServerTransport;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * The MCP Java SDK's stateless Streamable HTTP transport on WebFlux: each POST carries one JSON-RPC request
 * (answered with its JSON response) or notification (202). The SDK does the protocol; this class only moves
 * messages between HTTP and the SDK's handler, as the SDK's servlet transport does. Stateless because any
 * gateway replica may take any request (no session to pin); there is nothing to push, so GET is 405.
 */
final class WebFluxStatelessTransport implements McpStatelessServerTransport {
    private static final Logger log = LoggerFactory.getLogger(WebFluxStatelessTransport.class);

    private final McpJsonMapper json;
    private final JsonBodies bodies;
    private volatile McpStatelessServerHandler handler;
    private volatile boolean closing;

    WebFluxStatelessTransport(McpJsonMapper json, JsonBodies bodies) {
        this.json = json;
        this.bodies = bodies;
    }

    @Override
    public void setMcpHandler(McpStatelessServerHandler handler) {
        this.handler = handler;
    }

    @Override
    public Mono<Void> closeGracefully() {
        return Mono.fromRunnable(() -> closing = true);
    }

    /** {@code POST /v1/mcp}, behind {@link ApiKeyAuthentication}. */
    Mono<ServerResponse> handlePost(ServerRequest request) {
        if (closing) {
            return ServerResponse.status(HttpStatus.SERVICE_UNAVAILABLE).build();
        }
        String accept = request.headers().firstHeader(HttpHeaders.ACCEPT);
        if (accept == null
                || !accept.contains(MediaType.APPLICATION_JSON_VALUE)
                || !accept.contains(MediaType.TEXT_EVENT_STREAM_VALUE)) {
            return error(
                    HttpStatus.BAD_REQUEST,
                    null,
                    McpSchema.ErrorCodes.INVALID_REQUEST,
                    "Both application/json and text/event-stream required in Accept header");
        }
        McpTransportContext context = new McpCaller(
                        request.headers().firstHeader(ApiKeyAuthentication.API_KEY_HEADER),
                        request.headers().firstHeader(HttpHeaders.HOST))
                .toContext();
        // read as any JSON body is (size limit, malformed JSON: the API's own 413 and 400 invalid_json)
        return bodies.read(request, JsonNode.class).flatMap(body -> dispatch(body.toString(), context));
    }

    private Mono<ServerResponse> dispatch(String body, McpTransportContext context) {
        McpSchema.JSONRPCMessage message;
        try {
            message = McpSchema.deserializeJsonRpcMessage(json, body);
        } catch (IOException | IllegalArgumentException malformed) {
            return error(HttpStatus.BAD_REQUEST, null, McpSchema.ErrorCodes.PARSE_ERROR, "Invalid message format");
        }
        if (message instanceof McpSchema.JSONRPCRequest call) {
            return handler.handleRequest(context, call)
                    .contextWrite(reactor -> reactor.put(McpTransportContext.KEY, context))
                    .flatMap(answer -> ServerResponse.ok()
                            .contentType(MediaType.APPLICATION_JSON)
                            .bodyValue(write(answer)))
                    .onErrorResume(failure -> {
                        log.warn("MCP request {} failed: {}", call.method(), failure.toString());
                        return error(
                                HttpStatus.INTERNAL_SERVER_ERROR,
                                call.id(),
                                McpSchema.ErrorCodes.INTERNAL_ERROR,
                                "the request could not be handled");
                    });
        }
        if (message instanceof McpSchema.JSONRPCNotification notification) {
            return handler.handleNotification(context, notification)
                    .contextWrite(reactor -> reactor.put(McpTransportContext.KEY, context))
                    .then(ServerResponse.accepted().build());
        }
        return error(
                HttpStatus.BAD_REQUEST,
                null,
                McpSchema.ErrorCodes.INVALID_REQUEST,
                "The server accepts either requests or notifications");
    }

    /** A JSON-RPC error answer; its id is null when the request's could not be read (JSON-RPC 2.0, 5.1). */
    private Mono<ServerResponse> error(HttpStatus status, Object id, int code, String message) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("jsonrpc", McpSchema.JSONRPC_VERSION);
        answer.put("id", id);
        answer.put("error", new McpSchema.JSONRPCResponse.JSONRPCError(code, message, null));
        return ServerResponse.status(status)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(write(answer));
    }

    private String write(Object message) {
        try {
            return json.writeValueAsString(message);
        } catch (IOException e) {
            throw new IllegalStateException("an MCP message did not serialize", e);
        }
    }
}
