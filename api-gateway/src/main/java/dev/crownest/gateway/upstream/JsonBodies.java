package dev.crownest.gateway.upstream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.crownest.contracts.api.ApiException;
import dev.crownest.gateway.GatewayProperties;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import reactor.core.publisher.Mono;

/**
 * Reads request bodies into the contracts' records before anything is forwarded, so a malformed body
 * never reaches a service. An empty body reads as {@code {}} (every field at its default); bodies above
 * {@code crownest.gateway.max-body-size} are refused with 413; text with control characters with 400
 * {@code invalid_text} ({@link TextFields}).
 */
@Component
public class JsonBodies {

    private final ObjectMapper json;
    private final int maxBytes;

    public JsonBodies(ObjectMapper json, GatewayProperties properties) {
        this.json = json;
        this.maxBytes = (int) properties.gateway().maxBodySize().toBytes();
    }

    public <T> Mono<T> read(ServerRequest request, Class<T> type) {
        if (request.headers().contentLength().orElse(-1) > maxBytes) {
            // Refuse by the declared length without reading a byte.
            return Mono.error(new DataBufferLimitException("declared body above " + maxBytes));
        }
        return DataBufferUtils.join(request.bodyToFlux(DataBuffer.class), maxBytes)
                .map(buffer -> {
                    try {
                        return buffer.toString(StandardCharsets.UTF_8);
                    } finally {
                        DataBufferUtils.release(buffer);
                    }
                })
                .defaultIfEmpty("")
                .flatMap(text -> Mono.justOrEmpty(parse(text, type)))
                .switchIfEmpty(
                        Mono.error(() -> ApiException.badRequest("invalid_json", "the body must be a JSON object")));
    }

    private <T> T parse(String text, Class<T> type) {
        try {
            JsonNode tree = json.reader()
                    .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .readTree(text.isBlank() ? "{}" : text);
            // Text is checked before any record exists, so no route can forget it.
            TextFields.check(tree);
            return json.treeToValue(tree, type);
        } catch (MismatchedInputException e) {
            String field = fieldOf(e);
            throw ApiException.badRequest(
                    "invalid_json",
                    field.isEmpty() ? "the body must be a JSON object" : "field '" + field + "' has the wrong type");
        } catch (JsonMappingException e) {
            throw ApiException.badRequest("invalid_json", "the body does not match the expected fields");
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            throw ApiException.badRequest(
                    "invalid_json",
                    at == null
                            ? "the body is not valid JSON"
                            : "the body is not valid JSON (line " + at.getLineNr() + ", column " + at.getColumnNr()
                                    + ")");
        } catch (IOException e) {
            throw ApiException.badRequest("invalid_json", "the body is not valid JSON");
        }
    }

    private static String fieldOf(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."));
    }
}
