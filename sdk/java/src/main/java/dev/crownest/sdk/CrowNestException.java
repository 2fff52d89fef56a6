package dev.crownest.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Optional;

/**
 * Every failure of a call to the API. Answers in the API's one error shape
 * ({@code {"error":{"type","code","message","requestId"}}}) become the subclass of their status
 * ({@link NotFoundException} for 404, {@link ConflictException} for 409, ...), carrying the HTTP status,
 * the API's {@code code} and the {@code requestId} to quote to an operator.
 */
public class CrowNestException extends RuntimeException {

    private final int status;
    private final String code;
    private final String type;
    private final String requestId;
    private final transient JsonNode body;
    private final Duration retryAfter;

    /**
     * @param message    the API's message
     * @param status     the HTTP status (0 when no answer came)
     * @param code       the API's error code, e.g. {@code sandbox_not_found}
     * @param type       the API's error type, e.g. {@code not_found} (null when absent)
     * @param requestId  the request's id ({@code req_...}), or null
     * @param body       the answer's body as JSON (null when it was not JSON)
     * @param retryAfter the answer's {@code Retry-After}, or null
     */
    public CrowNestException(
            String message,
            int status,
            String code,
            String type,
            String requestId,
            JsonNode body,
            Duration retryAfter) {
        super(message);
        this.status = status;
        this.code = code;
        this.type = type;
        this.requestId = requestId;
        this.body = body;
        this.retryAfter = retryAfter;
    }

    /** The HTTP status; 0 when no answer came ({@link ConnectionException}). */
    public int status() {
        return status;
    }

    /** The API's error code, e.g. {@code sandbox_not_found}; {@code http_<status>} when the body had none. */
    public String code() {
        return code;
    }

    /** The API's error type, e.g. {@code not_found}, or null. */
    public String type() {
        return type;
    }

    /** The request's id ({@code req_...}) from the body or the {@code X-Request-Id} header, or null. */
    public String requestId() {
        return requestId;
    }

    /** The answer's body (null when it was not JSON). */
    public JsonNode body() {
        return body;
    }

    /** The answer's {@code Retry-After}, when it had one. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
