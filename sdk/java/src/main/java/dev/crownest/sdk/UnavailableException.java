package dev.crownest.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;

/** 503: no capacity or a service is down for a moment; retried by the client after {@code Retry-After}. */
public class UnavailableException extends CrowNestException {

    /** See {@link CrowNestException#CrowNestException(String, int, String, String, String, JsonNode, Duration)}. */
    public UnavailableException(
            String message,
            int status,
            String code,
            String type,
            String requestId,
            JsonNode body,
            Duration retryAfter) {
        super(message, status, code, type, requestId, body, retryAfter);
    }
}
