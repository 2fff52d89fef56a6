package dev.crownest.sandbox.quota;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crownest.contracts.api.ApiException;
import java.io.IOException;
import java.util.Optional;
import org.springframework.http.HttpStatusCode;

/**
 * What metering-service answered with an error, as sandbox-service passes it on: a 4xx in the ApiError
 * shape is the caller's refusal (a quota, a plan) and keeps its status, type, code and message; anything
 * else means metering could not decide, which each caller answers as its own 503.
 */
public final class MeteringRefusals {
    private MeteringRefusals() {}

    /** The refusal to pass on, or empty when metering failed rather than refused. */
    public static Optional<ApiException> clientError(
            ObjectMapper json, HttpStatusCode status, byte[] body, String defaultType) {
        if (!status.is4xxClientError()) {
            return Optional.empty();
        }
        try {
            JsonNode error = json.readTree(body).path("error");
            if (error.hasNonNull("code")) {
                return Optional.of(new ApiException(
                        status.value(),
                        error.path("type").asText(defaultType),
                        error.path("code").asText(),
                        error.path("message").asText()));
            }
        } catch (IOException | IllegalArgumentException notTheErrorShape) {
            // metering answered something else: it failed rather than refused
        }
        return Optional.empty();
    }
}
