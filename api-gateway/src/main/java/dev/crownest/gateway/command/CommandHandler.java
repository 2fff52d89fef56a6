package dev.crownest.gateway.command;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crownest.contracts.api.ApiError;
import dev.crownest.contracts.api.ApiException;
import dev.crownest.contracts.api.RunCommandRequest;
import dev.crownest.contracts.event.CommandOutput;
import dev.crownest.contracts.security.InternalHeaders;
import dev.crownest.gateway.GatewayProperties;
import dev.crownest.gateway.request.RequestIds;
import dev.crownest.gateway.upstream.JsonBodies;
import dev.crownest.gateway.upstream.Upstream;
import dev.crownest.gateway.upstream.UpstreamAnswer;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code /v1/sandboxes/{id}/commands[/{cid}]}: run a command (blocking, or streamed as server-sent events)
 * and read command records. Blocking and streamed runs that collect nothing run on the data plane
 * ({@link DirectRuns}); background runs and runs that collect files, and every read, are sandbox-service's.
 */
@Component
public class CommandHandler {

    /** The first bytes of every command stream: an SSE comment line. */
    private static final byte[] OPENING = ":\n\n".getBytes(StandardCharsets.US_ASCII);

    private final Upstream upstream;
    private final JsonBodies bodies;
    private final CommandOutputHub hub;
    private final String sandboxService;
    private final Duration streamIdleGrace;
    private final ServerSentEventBytes sse;
    private final NodeOutputWatches watches;
    private final DirectRuns direct;
    private final RecordedRuns recorded;
    private final ObjectMapper json;

    CommandHandler(
            Upstream upstream,
            DirectRuns direct,
            RecordedRuns recorded,
            JsonBodies bodies,
            CommandOutputHub hub,
            NodeOutputWatches watches,
            GatewayProperties properties,
            ObjectMapper json) {
        this.watches = watches;
        this.direct = direct;
        this.recorded = recorded;
        this.upstream = upstream;
        this.sse = new ServerSentEventBytes(json);
        this.json = json;
        this.bodies = bodies;
        this.hub = hub;
        this.sandboxService = properties.sandboxServiceUrl();
        this.streamIdleGrace = properties.gateway().streamIdleGrace();
    }

    public Mono<ServerResponse> run(ServerRequest request) {
        String sandboxId = request.pathVariable("id");
        // ?wait=false: 202 with the running record at once (poll it, or cancel it by id)
        boolean wait = !"false".equals(request.queryParam("wait").orElse("true"));
        return bodies.read(request, RunCommandRequest.class).flatMap(body -> {
            if (wantsStream(request, body)) {
                return stream(request, sandboxId, body);
            }
            return DirectRuns.eligible(body, wait)
                    ? runDirect(request, sandboxId, body)
                    : upstream.forward(request, HttpMethod.POST, runUri(sandboxId, wait), body);
        });
    }

    /** A blocking run on the data plane: answered with the node's exit, as the record will show it. */
    private Mono<ServerResponse> runDirect(ServerRequest request, String sandboxId, RunCommandRequest body) {
        String commandId = RequestIds.random("cmd_");
        return direct.authorize(request, sandboxId, body, commandId, 0L)
                .flatMap(run -> run.refusal() != null
                        ? upstream.respond(request, run.refusal())
                        : direct.runToEnd(sandboxId, run.exec())
                                .doOnNext(view -> recorded.answered(sandboxId, commandId))
                                .flatMap(view -> ServerResponse.ok()
                                        .contentType(MediaType.APPLICATION_JSON)
                                        .header(InternalHeaders.COMMAND_ID, commandId)
                                        .bodyValue(view)));
    }

    public Mono<ServerResponse> list(ServerRequest request) {
        String sandboxId = request.pathVariable("id");
        return recorded.awaitRecorded(request, sandboxId, null)
                .then(Mono.defer(() -> upstream.forward(
                        request,
                        HttpMethod.GET,
                        Upstream.uri(
                                sandboxService,
                                "/internal/sandboxes/{id}/commands",
                                request.uri().getRawQuery(),
                                sandboxId),
                        null)));
    }

    public Mono<ServerResponse> get(ServerRequest request) {
        String sandboxId = request.pathVariable("id");
        String commandId = request.pathVariable("cid");
        return recorded.awaitRecorded(request, sandboxId, commandId)
                .then(Mono.defer(
                        () -> upstream.forward(request, HttpMethod.GET, commandUri(sandboxId, commandId), null)));
    }

    private static boolean wantsStream(ServerRequest request, RunCommandRequest body) {
        // equalsTypeAndSubtype, not isCompatibleWith: "Accept: */*" must not turn every run into a stream.
        return Boolean.TRUE.equals(body.stream())
                || request.headers().accept().stream().anyMatch(MediaType.TEXT_EVENT_STREAM::equalsTypeAndSubtype);
    }

    private Mono<ServerResponse> stream(ServerRequest request, String sandboxId, RunCommandRequest body) {
        return startStream(request, sandboxId, body)
                .flatMap(started -> started.refusal() != null
                        ? upstream.respond(request, started.refusal())
                        : events(started.commandId(), started.events()));
    }

    /** A command's server-sent events as the answer, the command's id up front (to cancel or look it up). */
    Mono<ServerResponse> events(String commandId, Flux<ServerSentEvent<Object>> events) {
        return ServerResponse.ok()
                .contentType(MediaType.TEXT_EVENT_STREAM)
                .header(InternalHeaders.COMMAND_ID, commandId)
                // each event written and flushed as it comes, as Spring's SSE writer does; first a comment
                // (which SSE readers skip), so that the headers with the id go out now, not with the first
                // output, which a quiet command may write only minutes later
                .body((response, context) -> response.writeAndFlushWith(Flux.concat(
                        Mono.just(Mono.just(response.bufferFactory().wrap(OPENING.clone()))),
                        events.map(event -> Mono.just(response.bufferFactory().wrap(sse.render(event)))))));
    }

    /** A streamed run once it was taken: its events, or sandbox-service's refusal. */
    record StartedStream(String commandId, UpstreamAnswer refusal, Flux<ServerSentEvent<Object>> events) {}

    /**
     * Starts a streamed run: on the data plane ({@link DirectRuns}) unless it collects files; its events
     * end with the exit, or an error event after the command's timeout plus the idle grace without any
     * output. A refusal (of the gateway's checks, sandbox-service or the node) comes before anything runs.
     */
    Mono<StartedStream> startStream(ServerRequest request, String sandboxId, RunCommandRequest body) {
        if (!DirectRuns.eligible(body, true)) {
            return startRecordedStream(request, sandboxId, body);
        }
        String commandId = RequestIds.random("cmd_");
        Duration idleLimit = Duration.ofMillis(body.timeoutMsOrDefault()).plus(streamIdleGrace);
        return direct.authorize(request, sandboxId, body, commandId, null)
                .flatMap(run -> run.refusal() != null
                        ? Mono.just(new StartedStream(commandId, run.refusal(), Flux.empty()))
                        : direct.start(sandboxId, run.exec())
                                .map(frames -> new StartedStream(
                                        commandId,
                                        null,
                                        new CommandEventStream(commandId, RequestIds.of(request.exchange()))
                                                .events(frames, direct::exit)
                                                // before the exit reaches the client, whose next read waits for the
                                                // record
                                                .doOnNext(event -> {
                                                    if (CommandOutput.EXIT.equals(event.event())) {
                                                        recorded.answered(sandboxId, commandId);
                                                    }
                                                })
                                                .timeout(idleLimit, Flux.just(silenceEvent(request, commandId))))));
    }

    /**
     * A streamed run of the control plane (one that collects files): asks sandbox-service to run the
     * command without waiting, after opening the watch of its output on the node and the listener for
     * its exit record (no chunk can be missed). A refusal of sandbox-service gives the watch up; a node
     * that cannot be reached is a 503 before anything runs.
     */
    private Mono<StartedStream> startRecordedStream(ServerRequest request, String sandboxId, RunCommandRequest body) {
        String commandId = RequestIds.random("cmd_");
        // Only a valid timeout (1 ms or more) gets as far as events: sandbox-service refuses the others first.
        Duration idleLimit = Duration.ofMillis(body.timeoutMsOrDefault()).plus(streamIdleGrace);
        return watches.open(sandboxId, commandId)
                // whatever the node answered, or that it could not be reached: nothing runs without its output
                .onErrorMap(failure -> new ApiException(
                        HttpStatus.SERVICE_UNAVAILABLE.value(),
                        "unavailable",
                        "node_unavailable",
                        "the sandbox's node cannot stream the command's output now; nothing was run"))
                .flatMap(watch -> {
                    CommandOutputHub.Listener exits = hub.open(commandId);
                    Runnable giveUp = () -> {
                        exits.close();
                        watch.cancel().run();
                    };
                    return upstream.call(
                                    request,
                                    HttpMethod.POST,
                                    runUri(sandboxId, false),
                                    body,
                                    headers -> headers.set(InternalHeaders.COMMAND_ID, commandId))
                            .map(answer -> {
                                if (answer.isError()) {
                                    giveUp.run();
                                    return new StartedStream(commandId, answer, Flux.empty());
                                }
                                Flux<ServerSentEvent<Object>> events = new CommandEventStream(
                                                commandId, RequestIds.of(request.exchange()))
                                        .events(watch.frames(), exits.chunks())
                                        .timeout(idleLimit, Flux.just(silenceEvent(request, commandId)))
                                        .doFinally(signal -> exits.close());
                                return new StartedStream(commandId, null, events);
                            })
                            .doOnError(failure -> giveUp.run())
                            .doOnCancel(giveUp);
                });
    }

    /** The sandbox as the request's key sees it (404 for another tenant's or project's). */
    Mono<UpstreamAnswer> sandbox(ServerRequest request, String sandboxId) {
        return upstream.call(
                request,
                HttpMethod.GET,
                Upstream.uri(sandboxService, "/internal/sandboxes/{id}", null, sandboxId),
                null,
                headers -> {});
    }

    /**
     * The command's record as the request's key sees it (404 for another tenant's or project's); for a run
     * this gateway just answered, once it is recorded (read-your-writes, {@link RecordedRuns}).
     */
    Mono<UpstreamAnswer> record(ServerRequest request, String sandboxId, String commandId) {
        return recorded.awaitRecorded(request, sandboxId, commandId)
                .then(Mono.defer(() ->
                        upstream.call(request, HttpMethod.GET, commandUri(sandboxId, commandId), null, headers -> {})));
    }

    /** The client's answer for a service's answer. */
    Mono<ServerResponse> respond(ServerRequest request, UpstreamAnswer answer) {
        return upstream.respond(request, answer);
    }

    /**
     * {@code POST /v1/sandboxes/{id}/commands/{cid}/cancel}: sandbox-service's answer, or for a run on the
     * data plane that it has not recorded yet, a kill on the node (see {@link #cancel(ServerRequest, String,
     * String)}).
     */
    public Mono<ServerResponse> cancel(ServerRequest request) {
        return cancel(request, request.pathVariable("id"), request.pathVariable("cid"))
                .flatMap(answer -> upstream.respond(request, answer));
    }

    /**
     * Cancels a command as the request's key; the answer is sandbox-service's. A run on the data plane that
     * sandbox-service has not recorded yet (its start fact is on its way from the node, about a second) is
     * 404 there: it is then killed on its node directly, if the key may see the sandbox, and answered with
     * its record once the exit fact (which says cancelled) is recorded, as sandbox-service answers a
     * cancel that finished; 202 if that record is later than {@link RecordedRuns}' patience.
     */
    Mono<UpstreamAnswer> cancel(ServerRequest request, String sandboxId, String commandId) {
        return upstream.call(
                        request,
                        HttpMethod.POST,
                        Upstream.uri(
                                sandboxService,
                                "/internal/sandboxes/{id}/commands/{cid}/cancel",
                                null,
                                sandboxId,
                                commandId),
                        null,
                        headers -> {})
                .flatMap(answer -> answer.status().value() != HttpStatus.NOT_FOUND.value()
                        ? Mono.just(answer)
                        : direct.cancelUnrecorded(request, sandboxId, commandId)
                                .flatMap(killed ->
                                        killed ? cancelledRecord(request, sandboxId, commandId) : Mono.just(answer)));
    }

    /** The record of a run just killed on its node, once recorded; 202 with the command's id until then. */
    private Mono<UpstreamAnswer> cancelledRecord(ServerRequest request, String sandboxId, String commandId) {
        recorded.answered(sandboxId, commandId);
        return recorded.awaitRecorded(request, sandboxId, commandId)
                .then(Mono.defer(() ->
                        upstream.call(request, HttpMethod.GET, commandUri(sandboxId, commandId), null, headers -> {})))
                .map(answer -> answer.isError() ? stillRunning(sandboxId, commandId) : answer);
    }

    private UpstreamAnswer stillRunning(String sandboxId, String commandId) {
        try {
            return new UpstreamAnswer(
                    HttpStatus.ACCEPTED,
                    MediaType.APPLICATION_JSON,
                    json.writeValueAsBytes(Map.of("id", commandId, "sandboxId", sandboxId, "status", "running")));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ServerSentEvent<Object> silenceEvent(ServerRequest request, String commandId) {
        return ServerSentEvent.<Object>builder(ApiError.of(
                        "unavailable",
                        "stream_timeout",
                        "no output or exit for command " + commandId + " within its timeout",
                        RequestIds.of(request.exchange())))
                .event("error")
                .build();
    }

    private URI runUri(String sandboxId, boolean wait) {
        return Upstream.uri(sandboxService, "/internal/sandboxes/{id}/commands?wait=" + wait, null, sandboxId);
    }

    private URI commandUri(String sandboxId, String commandId) {
        return Upstream.uri(sandboxService, "/internal/sandboxes/{id}/commands/{cid}", null, sandboxId, commandId);
    }
}
