package dev.crownest.systemtest.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crownest.sdk.CrowNest;
import dev.crownest.sdk.RawResponse;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The routes of a running gateway, read from its {@code /v1/openapi.json}: method, pattern, who may
 * call them (API key with {@code x-required-scope}, or session), how a project-restricted key is kept
 * to its project ({@code x-project-scope}), and their parameters and body schema. Generated suites (the
 * project matrix, the API fuzz suite) walk these, so a route added to the gateway is in them at once.
 */
public final class OpenApiRoutes {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> METHODS = List.of("get", "put", "post", "delete", "patch");

    /** How a route is called: an API key ({@code x-api-key}), an administration session (Bearer), or neither. */
    public enum Credential {
        API_KEY,
        SESSION,
        NONE
    }

    /**
     * One operation of the document.
     *
     * @param requiredScope {@code x-required-scope}, null when the route takes no API key or declares none
     * @param projectScope  {@code x-project-scope} ({@code sandbox|filtered|tenant}), null when undeclared
     * @param apiKey        callable with an API key
     * @param session       callable with an administration session
     * @param requestSchema the JSON body's schema with its {@code $ref} resolved, or null
     * @param bodyFields    the JSON body's properties and their OpenAPI types ({@code string},
     *                      {@code integer}, {@code boolean}, {@code array}, {@code object}), or null
     */
    public record Route(
            String method,
            String pattern,
            String operationId,
            String requiredScope,
            String projectScope,
            boolean apiKey,
            boolean session,
            List<String> pathParameters,
            List<String> queryParameters,
            JsonNode requestSchema,
            Map<String, String> bodyFields) {

        /** {@code "METHOD /pattern"}, as the gateway's tables name a route. */
        public String key() {
            return method + " " + pattern;
        }

        /** The pattern with each {@code {name}} replaced by {@code values.get(name)} (or {@code x_none}). */
        public String path(Map<String, String> values) {
            String path = pattern;
            for (String name : pathParameters) {
                path = path.replace("{" + name + "}", values.getOrDefault(name, name + "_none"));
            }
            return path;
        }

        /** The pattern with its variables replaced, in order, by the given (already encoded) values. */
        public String path(List<String> values) {
            String path = pattern;
            for (int i = 0; i < pathParameters.size(); i++) {
                path = path.replace("{" + pathParameters.get(i) + "}", values.get(i));
            }
            return path;
        }

        /** What the route accepts (both when a route is a tenant's and an admin's). */
        public List<Credential> credentials() {
            List<Credential> credentials = new ArrayList<>();
            if (apiKey) {
                credentials.add(Credential.API_KEY);
            }
            if (session) {
                credentials.add(Credential.SESSION);
            }
            return credentials.isEmpty() ? List.of(Credential.NONE) : credentials;
        }

        @Override
        public String toString() {
            return key();
        }

        /** Whether the body's schema has a property of this name. */
        public boolean bodyHas(String property) {
            return requestSchema != null && requestSchema.path("properties").has(property);
        }

        /**
         * A body from {@code examples}: each property of the schema that has an example, and nothing
         * else; {@code "{}"} for a route without a JSON body.
         */
        public String exampleBody(Map<String, Object> examples) {
            ObjectNode body = JSON.createObjectNode();
            if (requestSchema != null) {
                requestSchema.path("properties").fieldNames().forEachRemaining(name -> {
                    if (examples.containsKey(name)) {
                        body.set(name, JSON.valueToTree(examples.get(name)));
                    }
                });
            }
            return body.toString();
        }
    }

    private final JsonNode document;
    private final List<Route> routes;

    private OpenApiRoutes(JsonNode document) {
        this.document = document;
        this.routes = read(document);
    }

    /** The document the gateway serves (public: no credential is sent). */
    public static OpenApiRoutes of(CrowNest client) {
        RawResponse answer = client.http().anonymous().send("GET", "/v1/openapi.json");
        if (answer.status() != 200) {
            throw new IllegalStateException("GET /v1/openapi.json answered " + answer.status());
        }
        return new OpenApiRoutes(answer.json());
    }

    public static OpenApiRoutes parse(JsonNode document) {
        return new OpenApiRoutes(document);
    }

    public List<Route> all() {
        return routes;
    }

    /** Routes an API key may call. */
    public List<Route> keyRoutes() {
        return routes.stream().filter(Route::apiKey).toList();
    }

    /** Routes only a session may call. */
    public List<Route> sessionRoutes() {
        return routes.stream().filter(r -> r.session() && !r.apiKey()).toList();
    }

    public JsonNode document() {
        return document;
    }

    private List<Route> read(JsonNode doc) {
        List<Route> found = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields();
        while (paths.hasNext()) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (String method : METHODS) {
                JsonNode op = path.getValue().get(method);
                if (op == null) {
                    continue;
                }
                boolean apiKey = false;
                boolean session = false;
                for (JsonNode requirement : op.path("security")) {
                    apiKey |= requirement.has("apiKey");
                    session |= requirement.has("session");
                }
                List<String> pathParameters = new ArrayList<>();
                List<String> queryParameters = new ArrayList<>();
                for (JsonNode parameter : op.path("parameters")) {
                    switch (parameter.path("in").asText()) {
                        case "path" -> pathParameters.add(parameter.path("name").asText());
                        case "query" ->
                            queryParameters.add(parameter.path("name").asText());
                        default -> {}
                    }
                }
                JsonNode schema = op.path("requestBody")
                        .path("content")
                        .path("application/json")
                        .path("schema");
                found.add(new Route(
                        method.toUpperCase(),
                        path.getKey(),
                        op.path("operationId").asText(null),
                        text(op.get("x-required-scope")),
                        text(op.get("x-project-scope")),
                        apiKey,
                        session,
                        List.copyOf(pathParameters),
                        List.copyOf(queryParameters),
                        schema.isMissingNode() ? null : resolve(schema),
                        schema.isMissingNode() ? null : fields(resolve(schema))));
            }
        }
        return List.copyOf(found);
    }

    /** A schema with a top-level {@code $ref} to {@code #/components/schemas/X} replaced by X. */
    public JsonNode resolve(JsonNode schema) {
        String ref = schema.path("$ref").asText("");
        String prefix = "#/components/schemas/";
        return ref.startsWith(prefix)
                ? document.path("components").path("schemas").path(ref.substring(prefix.length()))
                : schema;
    }

    private Map<String, String> fields(JsonNode schema) {
        Map<String, String> fields = new LinkedHashMap<>();
        schema.path("properties")
                .fields()
                .forEachRemaining(property -> fields.put(
                        property.getKey(),
                        resolve(property.getValue()).path("type").asText("object")));
        return fields;
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() || node.asText().isBlank() ? null : node.asText();
    }
}
