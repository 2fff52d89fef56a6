package dev.crownest.billing.stripe;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The only fake of the project: a local HTTP server speaking the subset of Stripe's API that
 * StripeSyncJob's and PaymentMethods' stripe-java calls use (customers and their update, payment
 * method attach, billing meter events, invoices, invoice items, invoice finalize and void); a payment
 * method id with {@code Declined} in it is refused as Stripe's test cards are (402 card_error). Form-encoded requests, JSON answers. Honours {@code Idempotency-Key} like
 * Stripe: the same key answers the stored response without a second effect. It records every request
 * and every effect, and can be told to fail the next calls.
 */
public final class FakeStripe implements AutoCloseable {
    /** How the next calls fail. */
    public enum Failure {
        /** HTTP 500 before anything happens (an outage in front of the API; nothing stored). */
        HTTP_500,
        /** The request takes effect and its answer is stored, then the connection drops without an answer. */
        DROP_AFTER_PROCESSING
    }

    /** One request as received. */
    public record Request(String path, String idempotencyKey, Map<String, String> params) {}

    private final HttpServer server;
    private final ObjectMapper json = new ObjectMapper();
    private final List<Request> received = new CopyOnWriteArrayList<>();
    private final List<Request> effects = new CopyOnWriteArrayList<>();
    private final Map<String, String> answersByKey = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Object>> invoices = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private volatile Failure failure = Failure.HTTP_500;

    public FakeStripe() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The next {@code n} calls fail this way. */
    public void failNext(int n, Failure how) {
        failure = how;
        failuresLeft.set(n);
    }

    public List<Request> received() {
        return List.copyOf(received);
    }

    /** Requests that took effect: the first of each idempotency key. */
    public List<Request> effects(String path) {
        return effects.stream().filter(r -> r.path().equals(path)).toList();
    }

    public List<Request> effectsStartingWith(String pathPrefix) {
        return effects.stream().filter(r -> r.path().startsWith(pathPrefix)).toList();
    }

    private synchronized void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            Map<String, String> params =
                    form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
            Request request = new Request(path, key, params);
            received.add(request);
            if (!"POST".equals(exchange.getRequestMethod())) {
                answer(exchange, 405, error("only POST is faked"));
                return;
            }
            Failure failing = failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? failure : null;
            if (failing == Failure.HTTP_500) {
                answer(exchange, 500, error("fake outage"));
                return;
            }
            if (path.startsWith("/v1/payment_methods/") && path.contains("Declined")) {
                // Stripe's test ids of cards that fail (pm_card_chargeDeclined...): a card error, nothing attached
                answer(exchange, 402, cardDeclined());
                return;
            }
            String body = key == null ? null : answersByKey.get(key);
            if (body == null) {
                body = json.writeValueAsString(effect(path, params));
                effects.add(request);
                if (key != null) {
                    answersByKey.put(key, body);
                }
            }
            if (failing == Failure.DROP_AFTER_PROCESSING) {
                // processed and stored, but the caller never hears: close without a status line
                return;
            }
            answer(exchange, 200, body);
        }
    }

    private Map<String, Object> effect(String path, Map<String, String> params) {
        long now = System.currentTimeMillis() / 1000;
        Map<String, Object> o = new LinkedHashMap<>();
        if (path.equals("/v1/customers")) {
            o.put("id", "cus_" + ids.incrementAndGet());
            o.put("object", "customer");
            o.put("name", params.get("name"));
            o.put("metadata", prefixed(params, "metadata"));
        } else if (path.startsWith("/v1/customers/")) {
            o.put("id", path.substring("/v1/customers/".length()));
            o.put("object", "customer");
            o.put(
                    "invoice_settings",
                    Map.of("default_payment_method", params.get("invoice_settings[default_payment_method]")));
        } else if (path.startsWith("/v1/payment_methods/") && path.endsWith("/attach")) {
            o.put("id", path.substring("/v1/payment_methods/".length(), path.length() - "/attach".length()));
            o.put("object", "payment_method");
            o.put("type", "card");
            o.put("customer", params.get("customer"));
            o.put("card", Map.of("brand", "visa", "last4", "4242", "exp_month", 12, "exp_year", 2030));
        } else if (path.equals("/v1/billing/meter_events")) {
            o.put("object", "billing.meter_event");
            o.put("event_name", params.get("event_name"));
            o.put("identifier", params.get("identifier"));
            o.put("payload", prefixed(params, "payload"));
            o.put("timestamp", Long.parseLong(params.getOrDefault("timestamp", String.valueOf(now))));
        } else if (path.equals("/v1/invoices")) {
            o.put("id", "in_" + ids.incrementAndGet());
            o.put("object", "invoice");
            o.put("customer", params.get("customer"));
            o.put("status", "draft");
            o.put("metadata", prefixed(params, "metadata"));
            invoices.put((String) o.get("id"), o);
        } else if (path.equals("/v1/invoiceitems")) {
            o.put("id", "ii_" + ids.incrementAndGet());
            o.put("object", "invoiceitem");
            o.put("amount", Long.parseLong(params.get("amount")));
            o.put("currency", params.get("currency"));
            o.put("customer", params.get("customer"));
            o.put("invoice", params.get("invoice"));
        } else if (path.startsWith("/v1/invoices/") && path.endsWith("/finalize")) {
            String id = path.substring("/v1/invoices/".length(), path.length() - "/finalize".length());
            Map<String, Object> invoice = invoices.get(id);
            if (invoice == null) {
                throw new IllegalArgumentException("no invoice " + id);
            }
            invoice.put("status", "open");
            o.putAll(invoice);
        } else if (path.startsWith("/v1/invoices/") && path.endsWith("/void")) {
            Map<String, Object> invoice =
                    invoices.get(path.substring("/v1/invoices/".length(), path.length() - "/void".length()));
            if (invoice == null || !"open".equals(invoice.get("status"))) {
                throw new IllegalArgumentException("only an open invoice can be voided: " + path);
            }
            invoice.put("status", "void");
            o.putAll(invoice);
        } else {
            throw new IllegalArgumentException("not faked: " + path);
        }
        o.put("created", now);
        o.put("livemode", false);
        return o;
    }

    private static Map<String, String> prefixed(Map<String, String> params, String name) {
        Map<String, String> out = new LinkedHashMap<>();
        params.forEach((k, v) -> {
            if (k.startsWith(name + "[") && k.endsWith("]")) {
                out.put(k.substring(name.length() + 1, k.length() - 1), v);
            }
        });
        return out;
    }

    private static Map<String, String> form(String body) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            params.put(
                    URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                    eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return params;
    }

    private String cardDeclined() throws IOException {
        return json.writeValueAsString(Map.of(
                "error", Map.of("type", "card_error", "code", "card_declined", "message", "Your card was declined.")));
    }

    private String error(String message) throws IOException {
        return json.writeValueAsString(Map.of("error", Map.of("type", "api_error", "message", message)));
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.getResponseHeaders().add("Request-Id", "req_fake");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** Every request's idempotency keys in order (for diagnostics in assertions). */
    public List<String> keys() {
        List<String> keys = new ArrayList<>();
        received.forEach(r -> keys.add(r.path() + " " + r.idempotencyKey()));
        return keys;
    }
}
