package dev.crownest.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;

/** 410: the resource existed and is gone for good. */
public class GoneException extends CrowNestException {

    /** See {@link CrowNestException#CrowNestException(String, int, String, String, String, JsonNode, Duration)}. */
    public GoneException(
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
