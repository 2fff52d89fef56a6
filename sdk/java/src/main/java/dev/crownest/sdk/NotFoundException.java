package dev.crownest.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;

/** 404: no such sandbox, command, file, ... for this key. */
public class NotFoundException extends CrowNestException {

    /** See {@link CrowNestException#CrowNestException(String, int, String, String, String, JsonNode, Duration)}. */
    public NotFoundException(
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
