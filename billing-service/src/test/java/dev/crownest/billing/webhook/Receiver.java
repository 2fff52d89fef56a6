package dev.crownest.billing.webhook;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A webhook receiver on 127.0.0.1 for the tests: keeps every request it got (headers that matter and
 * body), and answers 500 to the first {@link #failNext} requests of a path, 200 after.
 */
final class Receiver implements AutoCloseable {
    record Received(String path, String eventId, String eventType, String signature, String body, long atMillis) {}

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();

    Receiver() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String path = exchange.getRequestURI().getPath();
            received.add(new Received(
                    path,
                    exchange.getRequestHeaders().getFirst(WebhookSignature.EVENT_ID_HEADER),
                    exchange.getRequestHeaders().getFirst(WebhookSignature.EVENT_TYPE_HEADER),
                    exchange.getRequestHeaders().getFirst(WebhookSignature.HEADER),
                    body,
                    System.currentTimeMillis()));
            AtomicInteger left = failures.get(path);
            int status = left != null && left.getAndDecrement() > 0 ? 500 : 200;
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    /** The URL of {@code path} on this receiver. */
    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** The next {@code count} requests to {@code path} are answered 500. */
    void failNext(String path, int count) {
        failures.put(path, new AtomicInteger(count));
    }

    List<Received> at(String path) {
        List<Received> all = new ArrayList<>();
        for (Received r : received) {
            if (r.path().equals(path)) {
                all.add(r);
            }
        }
        return all;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
