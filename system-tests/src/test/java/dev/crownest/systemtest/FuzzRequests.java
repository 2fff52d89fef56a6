package dev.crownest.systemtest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crownest.systemtest.openapi.OpenApiRoutes;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The hostile requests of {@link ApiFuzzTest}, drawn from a seeded {@link Random} so a failure can be
 * replayed: for a route, one request with a path, a query and a body where one or more parts are
 * broken (missing, extra or wrong-typed fields, NUL and other control characters, overlong, unicode,
 * negative and boundary numbers, bodies that are not objects or not JSON).
 */
final class FuzzRequests {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** One request to send: the path with its (encoded) query, and the raw body or null. */
    record Request(String method, String pathAndQuery, String body, String describe) {}

    static final List<String> TEXTS = List.of(
            "",
            " ",
            "\u0000",
            "a\u0000b",
            "\u0001\u0007\u001b[31m\u007f",
            "line\nbreak\ttab\r",
            "\u0085\u009f",
            "x".repeat(300),
            "y".repeat(20_000),
            "é日本🦀\u200b\ufeff",
            "\ud800",
            "' OR 1=1--",
            "../../../etc/shadow",
            "/workspace/" + "n".repeat(256),
            "%00%2e%2e%2f",
            "-1",
            "null");
    static final List<Object> NUMBERS = List.of(
            -1,
            0,
            1,
            Integer.MAX_VALUE,
            Integer.MIN_VALUE,
            Long.MAX_VALUE,
            Long.MIN_VALUE,
            1.5,
            -0.0,
            1e308,
            new java.math.BigInteger("123456789012345678901234567890"));
    private static final List<String> RAW_BODIES = List.of(
            "[]", "null", "\"text\"", "42", "{", "{\"a\":1}{}", "\u0000", "{\"\u0000\":1}", "{\"a\":\"\\u0000\"}");

    private final Random random;
    private final Map<String, String> realIds;

    /** @param realIds path variable values that exist ({@code id} → a live sandbox), used now and then */
    FuzzRequests(long seed, Map<String, String> realIds) {
        this.random = new Random(seed);
        this.realIds = realIds;
    }

    Request next(OpenApiRoutes.Route route, boolean realIdsAllowed) {
        List<String> values = new ArrayList<>();
        for (String name : route.pathParameters()) {
            String real = realIds.get(name);
            boolean useReal = real != null && realIdsAllowed && random.nextInt(3) > 0;
            values.add(useReal ? real : encode(pick(TEXTS).isEmpty() ? "x" : pick(TEXTS)));
        }
        StringBuilder query = new StringBuilder();
        for (String name : route.queryParameters()) {
            if (random.nextBoolean()) {
                append(query, name, random.nextInt(4) == 0 ? String.valueOf(pick(NUMBERS)) : pick(TEXTS));
            }
        }
        if (random.nextInt(5) == 0) {
            append(query, random.nextBoolean() ? "undocumented" : "a\u0000", pick(TEXTS));
        }
        String body = route.bodyFields() == null && random.nextInt(4) > 0 ? null : body(route.bodyFields());
        String path = route.path(values) + (query.isEmpty() ? "" : "?" + query);
        String shown = body == null ? "" : " " + (body.length() > 120 ? body.substring(0, 120) + "…" : body);
        return new Request(route.method(), path, body, route.method() + " " + path + shown);
    }

    private String body(Map<String, String> fields) {
        if (fields == null || fields.isEmpty() || random.nextInt(6) == 0) {
            return pick(RAW_BODIES);
        }
        ObjectNode body = NODES.objectNode();
        for (Map.Entry<String, String> field : fields.entrySet()) {
            int roll = random.nextInt(10);
            if (roll < 2) {
                continue; // missing
            }
            body.set(field.getKey(), roll < 4 ? wrongType(field.getValue()) : value(field.getValue()));
        }
        if (random.nextInt(3) == 0) {
            body.put(random.nextBoolean() ? "extraField" : pick(TEXTS), pick(TEXTS)); // extra
        }
        return body.toString();
    }

    private com.fasterxml.jackson.databind.JsonNode value(String type) {
        return switch (type) {
            case "integer", "number" -> JSON.valueToTree(pick(NUMBERS));
            case "boolean" -> NODES.booleanNode(random.nextBoolean());
            case "array" -> NODES.arrayNode().add(pick(TEXTS)).add(pick(TEXTS));
            case "object" -> NODES.objectNode().put(pick(TEXTS), pick(TEXTS)).put("k", pick(TEXTS));
            default -> NODES.textNode(pick(TEXTS));
        };
    }

    private com.fasterxml.jackson.databind.JsonNode wrongType(String type) {
        return switch (random.nextInt(4)) {
            case 0 -> type.equals("string") ? NODES.numberNode(42) : NODES.textNode("not a " + type);
            case 1 ->
                type.equals("array") ? NODES.objectNode() : NODES.arrayNode().add(1);
            case 2 ->
                type.equals("object")
                        ? NODES.textNode("{}")
                        : NODES.objectNode().put("x", 1);
            default -> NODES.nullNode();
        };
    }

    private <T> T pick(List<T> list) {
        return list.get(random.nextInt(list.size()));
    }

    private static void append(StringBuilder query, String name, String value) {
        if (!query.isEmpty()) {
            query.append('&');
        }
        query.append(encode(name)).append('=').append(encode(value));
    }

    static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
