package dev.crownest.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The one shape every error leaves the gateway in, as the gateway tests check it. */
final class ApiErrors {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ApiErrors() {}

    /**
     * Checks an answer's status and its ApiError body (type, code, a message, the request id of the
     * answer, no stack trace) and answers the {@code error} object.
     */
    static JsonNode assertError(WebTestClient.ResponseSpec response, int status, String type, String code) {
        EntityExchangeResult<byte[]> result =
                response.expectStatus().isEqualTo(status).expectBody().returnResult();
        String raw = new String(
                result.getResponseBodyContent() == null ? new byte[0] : result.getResponseBodyContent(),
                StandardCharsets.UTF_8);
        try {
            JsonNode error = JSON.readTree(raw).path("error");
            assertThat(error.path("type").asText()).as(raw).isEqualTo(type);
            assertThat(error.path("code").asText()).as(raw).isEqualTo(code);
            assertThat(error.path("message").asText()).as(raw).isNotBlank();
            assertThat(error.path("requestId").asText())
                    .as(raw)
                    .isEqualTo(result.getResponseHeaders().getFirst("x-request-id"));
            assertThat(raw).doesNotContain("Exception").doesNotContain("\tat ");
            return error;
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + raw, e);
        }
    }
}
