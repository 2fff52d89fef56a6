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

    /**
     * What an error answer said.
     *
     * @param message    the API's message
     * @param status     the HTTP status (0 when no answer came)
     * @param code       the API's error code, e.g. {@code sandbox_not_found}
     * @param type       the API's error type, e.g. {@code not_found} (null when absent)
     * @param requestId  the request's id ({@code req_...}), or null
     * @param body       the answer's body as JSON (null when it was not JSON)
     * @param retryAfter the answer's {@code Retry-After}, or null
     */
    public record Details(
            String message,
            int status,
            String code,
            String type,
            String requestId,
            JsonNode body,
            Duration retryAfter) {

        /** A failure with no answer behind it (status 0). */
        static Details of(String message, String code) {
            return new Details(message, 0, code, null, null, null, null);
        }
    }

    private final transient Details details;

    /** An error that says what {@code details} say. */
    public CrowNestException(Details details) {
        super(details.message());
        this.details = details;
    }

    /** The HTTP status; 0 when no answer came ({@link ConnectionException}). */
    public int status() {
        return details.status();
    }

    /** The API's error code, e.g. {@code sandbox_not_found}; {@code http_<status>} when the body had none. */
    public String code() {
        return details.code();
    }

    /** The API's error type, e.g. {@code not_found}, or null. */
    public String type() {
        return details.type();
    }

    /** The request's id ({@code req_...}) from the body or the {@code X-Request-Id} header, or null. */
    public String requestId() {
        return details.requestId();
    }

    /** The answer's body (null when it was not JSON). */
    public JsonNode body() {
        return details.body();
    }

    /** The answer's {@code Retry-After}, when it had one. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(details.retryAfter());
    }
}
