package dev.crownest.sdk;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One HTTP client of the public API: the key header, JSON bodies, the one error shape turned into
 * exception classes, and retries. A request is retried on 429/503 (after {@code Retry-After}, else an
 * exponential back-off) and, when it is safe (a GET, or a request carrying an Idempotency-Key), on a
 * dropped connection. Nothing is retried that could do the work twice.
 */
final class Transport {

    static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);

    private static final Set<Integer> RETRY_STATUSES = Set.of(429, 503);

    final String baseUrl;
    final int maxRetries;
    private final String apiKey;
    private final String sessionToken;
    private final Duration backoff;
    private final Duration maxBackoff;
    private final Duration requestTimeout;
    private final HttpClient http;

    Transport(
            String baseUrl,
            String apiKey,
            String sessionToken,
            int maxRetries,
            Duration backoff,
            Duration maxBackoff,
            Duration requestTimeout) {
        this.baseUrl = baseUrl.replaceAll("/+$", "");
        this.apiKey = apiKey;
        this.sessionToken = sessionToken;
        this.maxRetries = maxRetries;
        this.backoff = backoff;
        this.maxBackoff = maxBackoff;
        this.requestTimeout = requestTimeout;
        // HTTP/1.1: no h2c upgrade dance in front of every request to a plain-HTTP gateway
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    /** A request to {@code path} (already encoded), sent by one of {@link Call}'s terminal methods. */
    Call call(String method, String path) {
        return new Call(method, path);
    }

    /** A path segment, encoded. */
    static String seg(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The back-off before retry number {@code attempt} (0-based): exponential, capped, half of it random. */
    Duration delay(int attempt) {
        long base = Math.min(maxBackoff.toMillis(), backoff.toMillis() << Math.min(attempt, 20));
        return Duration.ofMillis(base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1));
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectionException(CrowNestException.Details.of("interrupted", "interrupted"));
        }
    }

    static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not writable as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** One request being put together: query, body, headers, idempotency and retry rules. */
    final class Call {
        private final String method;
        private final String path;
        private final Map<String, String> query = new LinkedHashMap<>();
        private final Map<String, String> headers = new LinkedHashMap<>();
        private HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.noBody();
        private boolean bodyReplayable = true;
        private boolean retryConnection = true;
        private boolean credentials = true;

        private Call(String method, String path) {
            this.method = method;
            this.path = path;
        }

        /** A query parameter; null values are left out. */
        Call query(String name, Object value) {
            if (value != null) {
                query.put(name, String.valueOf(value));
            }
            return this;
        }

        Call header(String name, String value) {
            if (value != null) {
                headers.put(name, value);
            }
            return this;
        }

        /** A body sent as JSON (null fields left out). */
        Call json(Object value) {
            header("content-type", "application/json");
            body = HttpRequest.BodyPublishers.ofString(toJson(value));
            return this;
        }

        /** A raw body; a body that cannot be sent twice (a stream) turns retries off. */
        Call body(HttpRequest.BodyPublisher publisher, boolean replayable) {
            body = publisher;
            bodyReplayable = replayable;
            return this;
        }

        /** A fresh Idempotency-Key, reused by this call's retries. */
        Call idempotent() {
            return idempotencyKey(UUID.randomUUID().toString());
        }

        Call idempotencyKey(String key) {
            return header("idempotency-key", key);
        }

        /** A dropped connection is thrown at once (429/503 are still retried). */
        Call noConnectionRetry() {
            retryConnection = false;
            return this;
        }

        /** Sent without the key or session token (a signed URL, or what an unauthenticated caller sees). */
        Call anonymous() {
            credentials = false;
            return this;
        }

        /** Sends once, no retry, and answers the response whatever its status, its body unread. */
        HttpResponse<InputStream> sendOnce() {
            try {
                return http.send(request(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (IOException e) {
                throw connectionFailed(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw connectionFailed(e);
            }
        }

        /** Sends and answers the response (status below 400) with its body unread, or throws the API's error. */
        HttpResponse<InputStream> send() {
            boolean safe = method.equals("GET") || headers.containsKey("idempotency-key");
            int retries = bodyReplayable ? maxRetries : 0;
            for (int attempt = 0; ; attempt++) {
                HttpResponse<InputStream> res;
                try {
                    res = http.send(request(), HttpResponse.BodyHandlers.ofInputStream());
                } catch (IOException e) {
                    if (safe && retryConnection && attempt < retries) {
                        sleep(delay(attempt));
                        continue;
                    }
                    throw connectionFailed(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw connectionFailed(e);
                }
                if (res.statusCode() < 400) {
                    return res;
                }
                CrowNestException error = errorOf(res);
                if (RETRY_STATUSES.contains(res.statusCode()) && attempt < retries) {
                    sleep(error.retryAfter().orElse(delay(attempt)));
                    continue;
                }
                throw error;
            }
        }

        /** The answer's JSON (a missing node for 204 or an empty body). */
        JsonNode json() {
            try (InputStream in = send().body()) {
                byte[] bytes = in.readAllBytes();
                return bytes.length == 0 ? JSON.missingNode() : JSON.readTree(bytes);
            } catch (IOException e) {
                throw connectionFailed(e);
            }
        }

        /** The answer's JSON as {@code type}; null for an empty answer. */
        <T> T as(Class<T> type) {
            JsonNode node = json();
            return node.isMissingNode() ? null : JSON.convertValue(node, type);
        }

        <T> T as(TypeReference<T> type) {
            JsonNode node = json();
            return node.isMissingNode() ? null : JSON.convertValue(node, type);
        }

        private HttpRequest request() {
            // an absolute URL (a signed URL the API answered) is taken as it is
            StringBuilder url = new StringBuilder(path.matches("(?i)^https?://.*") ? "" : baseUrl).append(path);
            String sep = path.contains("?") ? "&" : "?";
            for (Map.Entry<String, String> q : query.entrySet()) {
                url.append(sep)
                        .append(URLEncoder.encode(q.getKey(), StandardCharsets.UTF_8))
                        .append('=')
                        .append(URLEncoder.encode(q.getValue(), StandardCharsets.UTF_8));
                sep = "&";
            }
            HttpRequest.Builder b =
                    HttpRequest.newBuilder(URI.create(url.toString())).method(method, body);
            if (requestTimeout != null) {
                b.timeout(requestTimeout);
            }
            if (apiKey != null && credentials) {
                b.header("x-api-key", apiKey);
            }
            if (sessionToken != null && credentials) {
                b.header("authorization", "Bearer " + sessionToken);
            }
            // set, not added: a raw request's own header replaces the client's (another key, say)
            headers.forEach(b::setHeader);
            return b.build();
        }

        private ConnectionException connectionFailed(Exception cause) {
            String why = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
            ConnectionException e = new ConnectionException(
                    CrowNestException.Details.of(method + " " + path + ": " + why, "connection_failed"));
            e.initCause(cause);
            return e;
        }
    }

    /** The exception of an error answer (its body read and closed). */
    static CrowNestException errorOf(HttpResponse<InputStream> res) {
        String text;
        try (InputStream in = res.body()) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            text = "";
        }
        JsonNode body = null;
        try {
            body = text.isBlank() ? null : JSON.readTree(text);
        } catch (IOException notJson) {
            // kept as the message below
        }
        JsonNode e = body == null ? JSON.missingNode() : body.path("error");
        int status = res.statusCode();
        String message = e.hasNonNull("message") ? e.get("message").asText() : text.isBlank() ? "HTTP " + status : text;
        String code = e.hasNonNull("code") ? e.get("code").asText() : "http_" + status;
        String type = e.hasNonNull("type") ? e.get("type").asText() : null;
        String requestId = e.hasNonNull("requestId")
                ? e.get("requestId").asText()
                : res.headers().firstValue("x-request-id").orElse(null);
        CrowNestException.Details d =
                new CrowNestException.Details(message, status, code, type, requestId, body, retryAfter(res.headers()));
        return switch (status) {
            case 400, 422 -> new BadRequestException(d);
            case 401 -> new AuthenticationException(d);
            case 402 -> new PaymentRequiredException(d);
            case 403 -> new PermissionDeniedException(d);
            case 404 -> new NotFoundException(d);
            case 409 -> new ConflictException(d);
            case 410 -> new GoneException(d);
            case 429 -> new RateLimitException(d);
            case 503 -> new UnavailableException(d);
            default -> new CrowNestException(d);
        };
    }

    /** {@code Retry-After} as seconds or an HTTP date; null when absent or unreadable. */
    static Duration retryAfter(HttpHeaders headers) {
        String v = headers.firstValue("retry-after").orElse(null);
        if (v == null || v.isBlank()) {
            return null;
        }
        try {
            return Duration.ofMillis(Math.max(0, Math.round(Double.parseDouble(v.trim()) * 1000)));
        } catch (NumberFormatException notSeconds) {
            try {
                Duration d = Duration.between(
                        ZonedDateTime.now(), ZonedDateTime.parse(v.trim(), DateTimeFormatter.RFC_1123_DATE_TIME));
                return d.isNegative() ? Duration.ZERO : d;
            } catch (RuntimeException unreadable) {
                return null;
            }
        }
    }
}
