package dev.crownest.gateway;

import dev.crownest.nodeclient.protocol.ExecFrames;
import dev.crownest.nodeclient.protocol.NodePaths;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * A tiny HTTP server standing in for a node agent's exec watch ({@code GET .../exec/{cid}/output}):
 * it answers the headers at once, then, once the test says the command started, the frames the test
 * gives, cut into small pieces so that frames arrive split across buffers. Every watch it saw is kept.
 */
final class StandInNode implements AutoCloseable {

    /** The frames of one command's watch, as the test scripts them; null answers 500. */
    private volatile Function<String, byte[]> frames = commandId -> new byte[0];

    private final Map<String, CompletableFuture<Void>> started = new ConcurrentHashMap<>();
    /** The port its preview tunnel answers ({@link StandInPreviewApp}); 0 until a test sets one. */
    private volatile int tunnelPort;

    private final DisposableServer server;

    StandInNode() {
        server = HttpServer.create()
                .host("127.0.0.1")
                .port(0)
                .route(routes -> routes.get(
                                NodePaths.PREVIEW_TUNNEL,
                                (request, response) -> response.header("content-type", "application/json")
                                        .sendString(Mono.just("{\"port\":" + tunnelPort + "}")))
                        .get("/node/v1/sandboxes/{id}/exec/{cid}/output", (request, response) -> {
                            String commandId = request.param("cid");
                            byte[] body = frames.apply(commandId);
                            if (body == null) {
                                return response.status(500)
                                        .sendString(Mono.just("{\"error\":{\"code\":\"boom\"}}"))
                                        .then();
                            }
                            Flux<byte[]> pieces = Mono.fromFuture(started(commandId))
                                    .thenMany(Flux.range(0, (body.length + 6) / 7)
                                            .map(i ->
                                                    Arrays.copyOfRange(body, i * 7, Math.min(body.length, i * 7 + 7))));
                            // the headers go out at once, as a node's do once its watch is in place
                            return response.header("content-type", ExecFrames.MEDIA_TYPE)
                                    .sendHeaders()
                                    .then()
                                    .then(response.send(pieces.map(Unpooled::wrappedBuffer), b -> true)
                                            .then());
                        }))
                .bindNow(Duration.ofSeconds(10));
    }

    String url() {
        return "http://127.0.0.1:" + server.port();
    }

    /** Where this node's preview tunnel listens. */
    void tunnel(int port) {
        this.tunnelPort = port;
    }

    /** What a watch of each command answers once started; null for a 500. */
    void answer(Function<String, byte[]> frames) {
        this.frames = frames;
    }

    /** Whether a watch of {@code commandId} was opened (its headers answered). */
    boolean watched(String commandId) {
        return started.containsKey(commandId);
    }

    /** Lets the frames of {@code commandId}'s watch flow. */
    void start(String commandId) {
        started(commandId).complete(null);
    }

    private CompletableFuture<Void> started(String commandId) {
        return started.computeIfAbsent(commandId, id -> new CompletableFuture<>());
    }

    /** Frames as a node writes them. */
    static byte[] frames(Object... typesAndPayloads) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            for (int i = 0; i < typesAndPayloads.length; i += 2) {
                byte[] payload = (byte[]) typesAndPayloads[i + 1];
                if ((byte) typesAndPayloads[i] == ExecFrames.EXIT) {
                    ExecFrames.writeExit(out, payload);
                } else {
                    ExecFrames.writeOutput(
                            out, (byte) typesAndPayloads[i] == ExecFrames.STDERR ? "stderr" : "stdout", payload);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    @Override
    public void close() {
        server.disposeNow();
    }
}
