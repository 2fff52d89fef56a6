package dev.crownest.nodeclient;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crownest.contracts.api.ApiException;
import java.io.IOException;
import org.springframework.http.HttpStatus;

/**
 * A refusal of a service behind the caller read back as an {@link ApiException}: its status (502 for
 * one that is not HTTP's), and, when its body is in the ApiError shape, its type, code and message, so
 * the caller's own client sees the refusal as the service gave it.
 */
public final class ErrorAnswers {
    private ErrorAnswers() {}

    /** {@code service} names the refusing service in the message of an answer without the error shape. */
    public static ApiException refusal(ObjectMapper json, int status, byte[] body, String service) {
        HttpStatus known = HttpStatus.resolve(status);
        HttpStatus shown = known == null ? HttpStatus.BAD_GATEWAY : known;
        String type = shown.is4xxClientError() ? "invalid_request" : "internal";
        JsonNode error = readTree(json, body).path("error");
        if (error.hasNonNull("code")) {
            return new ApiException(
                    shown.value(),
                    error.path("type").asText(type),
                    error.path("code").asText(),
                    error.path("message").asText(""));
        }
        return new ApiException(shown.value(), type, "upstream_error", "the " + service + " answered " + status);
    }

    /** The body as JSON; an empty object for an empty or unreadable one. */
    public static JsonNode readTree(ObjectMapper json, byte[] body) {
        try {
            return body.length == 0 ? json.createObjectNode() : json.readTree(body);
        } catch (IOException notJson) {
            return json.createObjectNode();
        }
    }
}
