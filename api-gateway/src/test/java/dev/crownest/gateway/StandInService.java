package dev.crownest.gateway;

import dev.crownest.contracts.security.InternalHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * A tiny HTTP server standing in for an internal service (sandbox-service, metering, audit): it records
 * every request the gateway forwards and answers what the current test tells it to.
 */
final class StandInService implements AutoCloseable {

    /** A request as the service received it. */
    record Seen(String method, String uri, HttpHeaders headers, String body) {}

    /** What to answer. */
    record Reply(int status, String json) {}

    private final BlockingQueue<Seen> seen = new LinkedBlockingQueue<>();
    private volatile Function<Seen, Reply> responder = request -> new Reply(200, "{}");
    private final DisposableServer server;

    StandInService() {
        server = HttpServer.create()
                .host("127.0.0.1")
                .port(0)
                .handle((request, response) -> request.receive()
                        .aggregate()
                        .asString()
                        .defaultIfEmpty("")
                        .flatMap(body -> {
                            Seen got = new Seen(
                                    request.method().name(),
                                    request.uri(),
                                    request.requestHeaders().copy(),
                                    body);
                            if (!gatewayLookup(got)) {
                                seen.add(got);
                            }
                            Reply reply = responder.apply(got);
                            return response.status(reply.status())
                                    .header("content-type", "application/json")
                                    .sendString(Mono.just(reply.json()))
                                    .then();
                        }))
                .bindNow(Duration.ofSeconds(10));
    }

    /**
     * The gateway's own questions (a credential it has not met, whether a named tenant exists): not
     * forwarded requests, so not recorded; answered by the responder like any other.
     */
    private static boolean gatewayLookup(Seen request) {
        return request.uri().startsWith("/internal/credentials/")
                || (request.method().equals("GET") && request.uri().matches("/internal/tenants/[^/?]+"))
                // whether a named project exists: asked without an actor, unlike a forwarded GET /v1/projects/{id}
                || (request.method().equals("GET")
                        && request.uri().matches("/internal/projects/[^/?]+")
                        && request.headers().get(InternalHeaders.ACTOR) == null);
    }

    String url() {
        return "http://127.0.0.1:" + server.port();
    }

    void answer(Function<Seen, Reply> responder) {
        this.responder = responder;
    }

    void reset() {
        seen.clear();
        responder = request -> new Reply(200, "{}");
    }

    /** The next forwarded request, waiting up to {@code timeout}; null if none came. */
    Seen next(Duration timeout) throws InterruptedException {
        return seen.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        server.disposeNow();
    }
}
