package dev.crownest.systemtest;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A tenant's webhook endpoint for the system tests and the webhook bench: an HTTP server on
 * 127.0.0.1 that answers every POST (200, or the status it is told) and keeps what it got, with the
 * moment it got it. Checks
 * signatures as a tenant's receiver would, with the endpoint's secret alone.
 */
public final class WebhookReceiver implements AutoCloseable {
    /** One request: the headers that matter, the body, when it arrived (wall clock) and the status answered. */
    public record Delivery(
            String eventId, String eventType, String signature, String body, Instant receivedAt, int answered) {}

    private final HttpServer server;
    private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    private volatile int status = 200;

    public WebhookReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            int answer = status;
            deliveries.add(new Delivery(
                    exchange.getRequestHeaders().getFirst("CrowNest-Event-Id"),
                    exchange.getRequestHeaders().getFirst("CrowNest-Event-Type"),
                    exchange.getRequestHeaders().getFirst("CrowNest-Signature"),
                    new String(body, StandardCharsets.UTF_8),
                    Instant.now(),
                    answer));
            exchange.sendResponseHeaders(answer, -1);
            exchange.close();
        });
        server.start();
    }

    /** From now on every request is answered {@code status} (200 at first). */
    public void answer(int status) {
        this.status = status;
    }

    /** The URL to register. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks";
    }

    /** Everything received so far, in arrival order. */
    public List<Delivery> deliveries() {
        return List.copyOf(deliveries);
    }

    /**
     * Whether {@code delivery} is signed by {@code secret}: {@code CrowNest-Signature: t=..,v1=..} where
     * v1 is the hex HMAC-SHA256 of {@code t + "." + body}, and t within {@code toleranceSeconds} of now.
     */
    public static boolean verified(String secret, Delivery delivery, long toleranceSeconds) {
        String t = null;
        String v1 = null;
        for (String part : delivery.signature().split(",")) {
            if (part.startsWith("t=")) {
                t = part.substring(2);
            } else if (part.startsWith("v1=")) {
                v1 = part.substring(3);
            }
        }
        if (t == null || v1 == null) {
            return false;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            String expected =
                    HexFormat.of().formatHex(mac.doFinal((t + "." + delivery.body()).getBytes(StandardCharsets.UTF_8)));
            return expected.equals(v1)
                    && Math.abs(Instant.now().getEpochSecond() - Long.parseLong(t)) <= toleranceSeconds;
        } catch (GeneralSecurityException | NumberFormatException e) {
            return false;
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
