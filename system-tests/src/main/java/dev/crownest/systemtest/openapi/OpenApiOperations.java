package dev.crownest.systemtest.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The routes of a running gateway, read from its {@code /v1/openapi.json}: what a generated test (the
 * fuzz suite, a scope matrix) walks, so a route added to the gateway is in the test without anyone
 * listing it. Each route carries its method, pattern, path and query parameters, the credential it
 * takes, its required scope and its JSON body's fields with their types.
 */
public final class OpenApiOperations {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** How a route is called: an API key ({@code x-api-key}) or an administration session (Bearer). */
    public enum Credential {
        API_KEY,
        SESSION,
        NONE
    }

    /**
     * One operation of the document.
     *
     * @param method      GET, POST, PUT, DELETE
     * @param pattern     e.g. {@code /v1/sandboxes/{id}}
     * @param pathNames   the pattern's variables, in order
     * @param queryNames  the query parameters the route documents
     * @param credentials what the route accepts (both when a route is a tenant's and an admin's)
     * @param scope       the API key scope it needs, or null
     * @param body        the JSON body's fields and their OpenAPI types ({@code string}, {@code integer},
     *                    {@code boolean}, {@code array}, {@code object}), or null when it takes no JSON body
     */
    public record Route(
            String method,
            String pattern,
            List<String> pathNames,
            List<String> queryNames,
            List<Credential> credentials,
            String scope,
            Map<String, String> body) {

        /** The pattern with each variable replaced, in order, by the given (already encoded) values. */
        public String path(List<String> values) {
            String path = pattern;
            for (int i = 0; i < pathNames.size(); i++) {
                path = path.replace("{" + pathNames.get(i) + "}", values.get(i));
            }
            return path;
        }

        @Override
        public String toString() {
            return method + " " + pattern;
        }
    }

    private OpenApiOperations() {}

    /** Fetches and reads the document of the gateway at {@code apiUrl}. */
    public static List<Route> fetch(String apiUrl) {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> answer = http.send(
                    HttpRequest.newBuilder(URI.create(apiUrl + "/v1/openapi.json"))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200) {
                throw new IllegalStateException("GET /v1/openapi.json answered " + answer.statusCode());
            }
            return read(JSON.readTree(answer.body()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The routes of a parsed document, in the document's order. */
    public static List<Route> read(JsonNode document) {
        List<Route> routes = new ArrayList<>();
        JsonNode schemas = document.path("components").path("schemas");
        for (Iterator<Map.Entry<String, JsonNode>> paths =
                        document.path("paths").fields();
                paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                routes.add(route(op.getKey().toUpperCase(), path.getKey(), op.getValue(), schemas));
            }
        }
        return routes;
    }

    private static Route route(String method, String pattern, JsonNode operation, JsonNode schemas) {
        List<String> pathNames = new ArrayList<>();
        List<String> queryNames = new ArrayList<>();
        for (JsonNode parameter : operation.path("parameters")) {
            switch (parameter.path("in").asText()) {
                case "path" -> pathNames.add(parameter.path("name").asText());
                case "query" -> queryNames.add(parameter.path("name").asText());
                default -> {
                    // headers (Idempotency-Key) are the caller's own business
                }
            }
        }
        List<Credential> credentials = new ArrayList<>();
        for (JsonNode requirement : operation.path("security")) {
            if (requirement.has("apiKey")) {
                credentials.add(Credential.API_KEY);
            }
            if (requirement.has("session")) {
                credentials.add(Credential.SESSION);
            }
        }
        if (credentials.isEmpty()) {
            credentials.add(Credential.NONE);
        }
        String scope = operation.path("x-required-scope").isTextual()
                ? operation.path("x-required-scope").asText()
                : null;
        JsonNode bodySchema = operation
                .path("requestBody")
                .path("content")
                .path("application/json")
                .path("schema");
        Map<String, String> body = bodySchema.isMissingNode() ? null : fields(resolve(bodySchema, schemas), schemas);
        return new Route(
                method,
                pattern,
                List.copyOf(pathNames),
                List.copyOf(queryNames),
                List.copyOf(credentials),
                scope,
                body);
    }

    private static Map<String, String> fields(JsonNode schema, JsonNode schemas) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> properties =
                        schema.path("properties").fields();
                properties.hasNext(); ) {
            Map.Entry<String, JsonNode> property = properties.next();
            JsonNode type = resolve(property.getValue(), schemas);
            fields.put(property.getKey(), type.path("type").asText("object"));
        }
        return fields;
    }

    private static JsonNode resolve(JsonNode schema, JsonNode schemas) {
        String ref = schema.path("$ref").asText("");
        return ref.isEmpty() ? schema : schemas.path(ref.substring(ref.lastIndexOf('/') + 1));
    }
}
