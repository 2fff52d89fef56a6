package dev.crownest.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;

/** 400 or 422: the request is malformed or names something that does not exist (a template, a field). */
public class BadRequestException extends CrowNestException {

    /** See {@link CrowNestException#CrowNestException(String, int, String, String, String, JsonNode, Duration)}. */
    public BadRequestException(
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
