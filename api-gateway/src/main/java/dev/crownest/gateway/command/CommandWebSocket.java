package dev.crownest.gateway.command;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crownest.contracts.api.ApiError;
import dev.crownest.contracts.api.ApiException;
import dev.crownest.contracts.api.RunCommandRequest;
import dev.crownest.gateway.key.SocketKey;
import dev.crownest.gateway.request.RequestIds;
import dev.crownest.gateway.upstream.UpstreamAnswer;
import java.io.IOException;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;
import org.springframework.web.reactive.socket.server.WebSocketService;
import org.springframework.web.reactive.socket.server.support.HandshakeWebSocketService;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code GET /v1/sandboxes/{id}/commands/ws}: a command streamed over a WebSocket, for clients that
 * want to talk back. The client's first text frame is the run request (the JSON of
 * {@code POST .../commands}); the gateway answers {@code {"type":"start","commandId"}}, then one frame
 * per chunk ({@code stdout}/{@code stderr} with {@code data}) and the {@code exit} frame, and closes.
 * A later client frame {@code {"type":"cancel"}} cancels the command. A refusal is one
 * {@code {"type":"error","status",...}} frame in the ApiError shape, then the close.
 *
 * <p>The upgrade is an ordinary route behind API-key authentication, scope check and rate limit.
 */
@Component
public class CommandWebSocket {
    private static final String END = "\u0000end";

    private final CommandHandler commands;
    private final ObjectMapper json;
    private final WebSocketService sockets = new HandshakeWebSocketService();

    public CommandWebSocket(CommandHandler commands, ObjectMapper json) {
        this.commands = commands;
        this.json = json;
    }

    public Mono<ServerResponse> open(ServerRequest request) {
        String sandboxId = request.pathVariable("id");
        // Another tenant's (or project's) sandbox is a 404 before any upgrade, as on every other route.
        return commands.sandbox(request, sandboxId)
                .flatMap(answer -> answer.isError()
                        ? commands.respond(request, answer)
                        : ServerResponse.ok()
                                .build((exchange, context) -> sockets.handleRequest(
                                        exchange, SocketKey.answering(session -> talk(request, sandboxId, session)))));
    }

    private Mono<Void> talk(ServerRequest request, String sandboxId, WebSocketSession session) {
        Flux<String> frames = session.receive()
                .map(WebSocketMessage::getPayloadAsText)
                .switchOnFirst((first, all) -> {
                    if (!first.hasValue()) {
                        return Flux.empty();
                    }
                    RunCommandRequest body;
                    try {
                        body = json.readValue(first.get(), RunCommandRequest.class);
                    } catch (IOException e) {
                        return Flux.just(error(
                                request,
                                400,
                                "invalid_request",
                                "invalid_json",
                                "the first frame must be the run request as a JSON object"));
                    }
                    if (body == null) {
                        return Flux.just(
                                error(request, 400, "invalid_request", "invalid_json", "the first frame is empty"));
                    }
                    return commands.startStream(request, sandboxId, body)
                            .flatMapMany(started -> {
                                if (started.refusal() != null) {
                                    return Flux.just(refusal(started.refusal()));
                                }
                                Flux<String> events = Flux.concat(
                                        Mono.just(frame(
                                                "start",
                                                json.createObjectNode().put("commandId", started.commandId()))),
                                        started.events().map(this::frame),
                                        Mono.just(END));
                                Flux<String> control = all.skip(1)
                                        .concatMap(
                                                message -> isCancel(message)
                                                        ? commands.cancel(request, sandboxId, started.commandId())
                                                                .flatMap(answer -> answer.isError()
                                                                        ? Mono.just(refusal(answer))
                                                                        : Mono.<String>empty())
                                                        : Mono.just(
                                                                error(
                                                                        request,
                                                                        400,
                                                                        "invalid_request",
                                                                        "unknown_message",
                                                                        "after the run request only {\"type\":\"cancel\"} is understood")));
                                return Flux.merge(events, control).takeWhile(frame -> !END.equals(frame));
                            })
                            // the gateway's own refusal of a run on the data plane, or its node's
                            .onErrorResume(
                                    ApiException.class,
                                    refused -> Flux.just(error(
                                            request,
                                            refused.status(),
                                            refused.type(),
                                            refused.code(),
                                            refused.getMessage())));
                });
        return session.send(frames.map(session::textMessage)).then(session.close());
    }

    private boolean isCancel(String message) {
        try {
            return "cancel".equals(json.readTree(message).path("type").asText());
        } catch (JsonProcessingException e) {
            return false;
        }
    }

    private String frame(ServerSentEvent<Object> event) {
        JsonNode data = json.valueToTree(event.data());
        return frame(
                event.event(),
                data instanceof ObjectNode object
                        ? object
                        : json.createObjectNode().set("data", data));
    }

    private String frame(String type, ObjectNode data) {
        ObjectNode frame = json.createObjectNode().put("type", type);
        frame.setAll(data);
        return frame.toString();
    }

    private String refusal(UpstreamAnswer answer) {
        ObjectNode data = json.createObjectNode().put("status", answer.status().value());
        try {
            JsonNode body = json.readTree(answer.body());
            if (body != null && body.has("error")) {
                data.set("error", body.get("error"));
            }
        } catch (IOException notJson) {
            // the status says enough
        }
        return frame("error", data);
    }

    private String error(ServerRequest request, int status, String type, String code, String message) {
        ObjectNode data = json.valueToTree(ApiError.of(type, code, message, RequestIds.of(request.exchange())));
        data.put("status", status);
        return frame("error", data);
    }
}
