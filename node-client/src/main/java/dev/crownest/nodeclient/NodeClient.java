package dev.crownest.nodeclient;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.crownest.contracts.api.ApiException;
import dev.crownest.contracts.node.NodeTemplate;
import dev.crownest.contracts.node.SandboxChange;
import dev.crownest.contracts.node.TemplateBuildOutcome;
import dev.crownest.contracts.security.InternalHeaders;
import dev.crownest.nodeclient.protocol.ExecFrames;
import dev.crownest.nodeclient.protocol.ExecRequest;
import dev.crownest.nodeclient.protocol.NodeFork;
import dev.crownest.nodeclient.protocol.NodePaths;
import dev.crownest.nodeclient.protocol.NodePause;
import dev.crownest.nodeclient.protocol.NodeResume;
import dev.crownest.nodeclient.protocol.NodeSandbox;
import dev.crownest.nodeclient.protocol.NodeSandboxSpec;
import dev.crownest.nodeclient.protocol.TemplateBuild;
import dev.crownest.nodeclient.protocol.TemplatePool;
import dev.crownest.nodeclient.protocol.TerminalFrames;
import dev.crownest.nodeclient.protocol.TtlChange;
import dev.crownest.nodeclient.protocol.TunnelPort;
import io.netty.channel.ChannelOption;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * The one client of the node agent's HTTP API ({@link NodePaths}), for the execution worker (which
 * blocks on it), the gateway and the benches. Every call names its node's base URL, so a caller with
 * many nodes picks one per call. Builds the URLs, sets the service headers, and turns a node's refusal
 * into an {@link ApiException} as the node gave it ({@link ErrorAnswers}); a node that cannot be
 * reached fails with WebClient's own request exception. Output and file contents pass as the buffers
 * they arrive in; an exec frame's payload is copied once, into its own array.
 */
public final class NodeClient {
    private static final byte[] EMPTY = new byte[0];
    private static final MediaType FRAMES = MediaType.parseMediaType(ExecFrames.MEDIA_TYPE);
    private static final String SERVICE = "node agent";

    private final WebClient web;
    private final ObjectMapper json;
    private final NodeSockets sockets;

    /**
     * @param builder        a WebClient builder (copied, not changed)
     * @param json           writes requests and reads answers (a copy, with its modules)
     * @param connectTimeout how long a connection to a node may take
     */
    public NodeClient(WebClient.Builder builder, ObjectMapper json, Duration connectTimeout) {
        // An exec or a watch holds its connection for as long as its command runs: the default pool's 16
        // would make the 17th streamed run wait for a slot.
        ConnectionProvider pool = ConnectionProvider.builder("node-agents")
                .maxConnections(10_000)
                .pendingAcquireMaxCount(-1)
                .maxIdleTime(Duration.ofSeconds(20))
                .build();
        HttpClient http =
                HttpClient.create(pool).option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeout.toMillis());
        this.web = builder.clone()
                .clientConnector(new ReactorClientHttpConnector(http))
                .build();
        // instants as ISO text on the wire whatever the caller's mapper does (the node agent writes them so too)
        this.json = json.copy().disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        this.sockets = new NodeSockets(builder, http, this.json, SERVICE);
    }

    /** Starts a sandbox; idempotent by its id (a running one is answered as it is). */
    public Mono<NodeSandbox> start(URI node, NodeSandboxSpec spec) {
        return send(HttpMethod.POST, uri(node, NodePaths.SANDBOXES, Map.of()), spec, null)
                .map(answer -> read(answer, json.constructType(NodeSandbox.class)));
    }

    /** Stops a sandbox and removes what it left on the node. */
    public Mono<Void> stop(URI node, String sandboxId) {
        return send(HttpMethod.DELETE, uri(node, NodePaths.SANDBOX, Map.of(), sandboxId), null, null)
                .then();
    }

    /**
     * Pauses (checkpoints), resumes (restores) or moves the TTL of a sandbox on the node, which does each
     * idempotently; {@code expiresAt} is the new deadline of {@link SandboxChange#EXTEND_TTL} (else unused).
     */
    public Mono<NodeSandbox> change(URI node, String sandboxId, SandboxChange change, Instant expiresAt) {
        String path = switch (change) {
            case PAUSE -> NodePaths.PAUSE;
            case RESUME -> NodePaths.RESUME;
            case EXTEND_TTL -> NodePaths.TTL;
        };
        Object body = change == SandboxChange.EXTEND_TTL ? new TtlChange(expiresAt) : Map.of();
        return send(HttpMethod.POST, uri(node, path, Map.of(), sandboxId), body, null)
                .map(answer -> read(answer, json.constructType(NodeSandbox.class)));
    }

    /** Checkpoints the sandbox to the image of snapshot {@code snapshotId}; idempotent on the node. */
    public Mono<NodeSandbox> pause(URI node, String sandboxId, String snapshotId) {
        return send(HttpMethod.POST, uri(node, NodePaths.PAUSE, Map.of(), sandboxId), new NodePause(snapshotId), null)
                .map(answer -> read(answer, json.constructType(NodeSandbox.class)));
    }

    /** Restores the paused sandbox; its deadline becomes {@code resume.expiresAt()}. Idempotent on the node. */
    public Mono<NodeSandbox> resume(URI node, String sandboxId, NodeResume resume) {
        return send(HttpMethod.POST, uri(node, NodePaths.RESUME, Map.of(), sandboxId), resume, null)
                .map(answer -> read(answer, json.constructType(NodeSandbox.class)));
    }

    /** Starts a new sandbox from the snapshot the paused sandbox {@code sourceSandboxId} is at. */
    public Mono<NodeSandbox> fork(URI node, String sourceSandboxId, NodeFork fork) {
        return send(HttpMethod.POST, uri(node, NodePaths.FORK, Map.of(), sourceSandboxId), fork, null)
                .map(answer -> read(answer, json.constructType(NodeSandbox.class)));
    }

    /**
     * Runs a command; its output and exit as the node streams them, in {@link ExecFrames} (the exit frame
     * last; none when the sandbox went away meanwhile). Fails with the node's refusal before any frame.
     */
    public Flux<ExecFrames.Frame> exec(URI node, String sandboxId, ExecRequest request) {
        return web.post()
                .uri(uri(node, NodePaths.EXEC, Map.of(), sandboxId))
                .contentType(MediaType.APPLICATION_JSON)
                .accept(FRAMES)
                .bodyValue(write(request))
                .exchangeToFlux(response -> response.statusCode().isError()
                        ? refusal(response).flatMapMany(Flux::error)
                        : frames(response.bodyToFlux(DataBuffer.class)));
    }

    /**
     * Runs a command, as {@link #exec}, but completes once the node took it (its answer's headers, sent
     * after a recorded run's start is in its outbox), with the frames to come; a refusal fails the Mono,
     * so a caller can answer it before anything of the run went out. Cancelling the frames drops the
     * connection: a recorded run goes on to its end on the node, unread.
     */
    public Mono<Flux<ExecFrames.Frame>> run(URI node, String sandboxId, ExecRequest request) {
        return web.post()
                .uri(uri(node, NodePaths.EXEC, Map.of(), sandboxId))
                .contentType(MediaType.APPLICATION_JSON)
                // JSON too: a refusal (no such sandbox, paused) comes as the node's JSON error, not a 500
                .accept(FRAMES, MediaType.APPLICATION_JSON)
                .bodyValue(write(request))
                .retrieve()
                .onStatus(HttpStatusCode::isError, this::refusal)
                .toEntityFlux(DataBuffer.class)
                .map(answer -> frames(answer.getBody() == null ? Flux.empty() : answer.getBody()));
    }

    /**
     * Opens a watch of {@code commandId}'s output; completes once the node has it in place (its answer's
     * headers), so a command started after that cannot write anything the watch misses.
     */
    public Mono<OutputWatch> watch(URI node, String sandboxId, String commandId) {
        return watch(node, sandboxId, commandId, Map.of());
    }

    /**
     * Reattaches to {@code commandId}'s output from byte {@code stdoutFrom} of its stdout and
     * {@code stderrFrom} of its stderr: what the node kept from there (gap frames for what it no longer
     * has), then live output and the exit. Empty when the node does not keep the command (it ended a while
     * ago, or ran elsewhere): its record is then what is left.
     */
    public Mono<OutputWatch> reattach(URI node, String sandboxId, String commandId, long stdoutFrom, long stderrFrom) {
        return watch(
                        node,
                        sandboxId,
                        commandId,
                        Map.of("stdoutFrom", Long.toString(stdoutFrom), "stderrFrom", Long.toString(stderrFrom)))
                .onErrorResume(
                        failure -> failure instanceof ApiException refused && refused.status() == 404,
                        failure -> Mono.empty());
    }

    private Mono<OutputWatch> watch(URI node, String sandboxId, String commandId, Map<String, String> query) {
        return web.get()
                .uri(uri(node, NodePaths.EXEC_OUTPUT, query, sandboxId, commandId))
                .accept(FRAMES)
                .retrieve()
                .onStatus(HttpStatusCode::isError, this::refusal)
                .toEntityFlux(DataBuffer.class)
                .map(answer -> {
                    Flux<DataBuffer> body = answer.getBody() == null ? Flux.empty() : answer.getBody();
                    return new OutputWatch(
                            frames(body),
                            () -> body.subscribe(DataBufferUtils::release).dispose());
                });
    }

    /**
     * Kills a running command's process group; false when the node does not know it (it finished, or
     * never started there), which leaves nothing to cancel.
     */
    public Mono<Boolean> cancel(URI node, String sandboxId, String commandId) {
        return web.post()
                .uri(uri(node, NodePaths.EXEC_CANCEL, Map.of(), sandboxId, commandId))
                .exchangeToMono(response -> response.statusCode().value() == 404
                        ? response.releaseBody().thenReturn(false)
                        : answer(response).thenReturn(true));
    }

    /**
     * Opens a terminal in the sandbox ({@link NodePaths#PTY}, frames as {@link TerminalFrames} says) of
     * {@code cols} x {@code rows} running {@code command} (null: the login shell) and hands its socket
     * to {@code handler}; completes when the handler's Mono does, which closes the socket (and so kills
     * the terminal's processes). A refused handshake fails with the node's refusal, before the handler runs.
     */
    public Mono<Void> terminal(
            URI node, String sandboxId, int cols, int rows, String command, WebSocketHandler handler) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put(TerminalFrames.COLS, Integer.toString(cols));
        query.put(TerminalFrames.ROWS, Integer.toString(rows));
        if (command != null) {
            query.put(TerminalFrames.COMMAND, command);
        }
        return sockets.open(uri(node, NodePaths.PTY, query, sandboxId), handler);
    }

    /** A file of the sandbox's /workspace as the node streams it, with its headers (length, type). */
    public Mono<ResponseEntity<Flux<DataBuffer>>> readFile(URI node, String sandboxId, String path, String requestId) {
        return web.get()
                .uri(uri(node, NodePaths.FILES, Map.of("path", path), sandboxId))
                .accept(MediaType.ALL)
                .headers(headers -> requestId(headers, requestId))
                .retrieve()
                .onStatus(HttpStatusCode::isError, this::refusal)
                .toEntityFlux(DataBuffer.class);
    }

    /**
     * Streams {@code content} into a file (the node writes a temporary file and renames it over the
     * target). {@code contentLength} is sent on when known (≥ 0), else the body goes chunked.
     */
    public Mono<NodeAnswer> writeFile(
            URI node, String sandboxId, String path, Flux<DataBuffer> content, long contentLength, String requestId) {
        return web.put()
                .uri(uri(node, NodePaths.FILES, Map.of("path", path), sandboxId))
                .accept(MediaType.APPLICATION_JSON)
                .headers(headers -> {
                    requestId(headers, requestId);
                    headers.setContentType(MediaType.APPLICATION_OCTET_STREAM);
                    if (contentLength >= 0) {
                        headers.setContentLength(contentLength);
                    }
                })
                .body(BodyInserters.fromDataBuffers(content))
                .exchangeToMono(this::answer);
    }

    /**
     * One of the node's small JSON file calls: {@code DELETE} {@link NodePaths#FILES}, {@code GET}
     * {@link NodePaths#FILES_LIST}, {@code POST} {@link NodePaths#FILES_MKDIR} or {@link NodePaths#FILES_MOVE}.
     */
    public Mono<NodeAnswer> fileCall(
            URI node, HttpMethod method, String path, String sandboxId, Map<String, String> query, String requestId) {
        return send(method, uri(node, path, query, sandboxId), null, requestId);
    }

    /** Where the node's preview tunnel listens. */
    public Mono<TunnelPort> previewTunnel(URI node) {
        return send(HttpMethod.GET, uri(node, NodePaths.PREVIEW_TUNNEL, Map.of()), null, null)
                .map(answer -> read(answer, json.constructType(TunnelPort.class)));
    }

    /** The templates the node holds and their state. */
    public Mono<List<NodeTemplate>> templates(URI node) {
        return send(HttpMethod.GET, uri(node, NodePaths.TEMPLATES, Map.of()), null, null)
                .map(answer ->
                        read(answer, json.getTypeFactory().constructCollectionType(List.class, NodeTemplate.class)));
    }

    /**
     * Builds a custom template on the node; answers when the build ended, built or failed (a refusal
     * of the request itself, such as an unknown {@code from}, is an error).
     */
    public Mono<TemplateBuildOutcome> buildTemplate(URI node, String name, TemplateBuild build) {
        return send(HttpMethod.POST, uri(node, NodePaths.TEMPLATE_BUILD, Map.of(), name), build, null)
                .map(answer -> read(answer, json.constructType(TemplateBuildOutcome.class)));
    }

    /** Drops a custom template's image from the node; quiet when it has none. */
    public Mono<Void> deleteTemplate(URI node, String name) {
        return send(HttpMethod.DELETE, uri(node, NodePaths.TEMPLATE, Map.of(), name), null, null)
                .then();
    }

    /** The node's warm pools by template. */
    public Mono<Map<String, TemplatePool>> warmPool(URI node) {
        return send(HttpMethod.GET, uri(node, NodePaths.WARM_POOL, Map.of()), null, null)
                .map(answer -> read(
                        answer, json.getTypeFactory().constructMapType(Map.class, String.class, TemplatePool.class)));
    }

    /**
     * {@code path} (a {@link NodePaths} template) of {@code node}, its variables expanded in order from
     * {@code variables}, with {@code query}; everything encoded strictly (a file path's '&', '+', '%' or
     * spaces included).
     */
    public static URI uri(URI node, String path, Map<String, String> query, String... variables) {
        UriComponentsBuilder uri = UriComponentsBuilder.fromUri(node).path(path);
        List<Object> values = new ArrayList<>(List.of(variables));
        // as template variables, so that they are encoded as values, not as a query's syntax
        query.forEach((name, value) -> {
            uri.queryParam(name, "{" + name + "}");
            values.add(value);
        });
        return uri.encode().buildAndExpand(values.toArray()).toUri();
    }

    private Mono<NodeAnswer> send(HttpMethod method, URI uri, Object body, String requestId) {
        WebClient.RequestBodySpec request = web.method(method)
                .uri(uri)
                .accept(MediaType.APPLICATION_JSON)
                .headers(headers -> requestId(headers, requestId));
        return (body == null
                        ? request
                        : request.contentType(MediaType.APPLICATION_JSON).bodyValue(write(body)))
                .exchangeToMono(this::answer);
    }

    private Mono<NodeAnswer> answer(ClientResponse response) {
        return response.bodyToMono(byte[].class)
                .defaultIfEmpty(EMPTY)
                .flatMap(body -> response.statusCode().isError()
                        ? Mono.error(
                                ErrorAnswers.refusal(json, response.statusCode().value(), body, SERVICE))
                        : Mono.just(new NodeAnswer(response.statusCode(), body)));
    }

    private Mono<ApiException> refusal(ClientResponse response) {
        return response.bodyToMono(byte[].class)
                .defaultIfEmpty(EMPTY)
                .map(body -> ErrorAnswers.refusal(json, response.statusCode().value(), body, SERVICE));
    }

    private static Flux<ExecFrames.Frame> frames(Flux<DataBuffer> body) {
        ExecFrameAssembler frames = new ExecFrameAssembler();
        return body.concatMapIterable(frames::feed);
    }

    private static void requestId(HttpHeaders headers, String requestId) {
        if (requestId != null) {
            headers.set(InternalHeaders.REQUEST_ID, requestId);
        }
    }

    private byte[] write(Object body) {
        try {
            return json.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private <T> T read(NodeAnswer answer, JavaType type) {
        try {
            return json.readValue(answer.body(), type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
