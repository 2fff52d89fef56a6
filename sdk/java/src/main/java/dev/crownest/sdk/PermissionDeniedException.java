package dev.crownest.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;

/** 403: the key lacks the scope, or the resource is in another project. */
public class PermissionDeniedException extends CrowNestException {

    /** See {@link CrowNestException#CrowNestException(String, int, String, String, String, JsonNode, Duration)}. */
    public PermissionDeniedException(
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
