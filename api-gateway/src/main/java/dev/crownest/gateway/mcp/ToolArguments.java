package dev.crownest.gateway.mcp;

import dev.crownest.contracts.api.ApiException;
import java.util.Map;

/**
 * A tool call's arguments, read by name. The SDK has already checked them against the tool's input schema;
 * these reads still refuse what is missing or of the wrong type, as 400 {@code invalid_arguments}, so that
 * no call reaches a route half-formed.
 */
record ToolArguments(Map<String, Object> values) {

    static final String INVALID = "invalid_arguments";

    ToolArguments {
        values = values == null ? Map.of() : values;
    }

    /** A required string; an empty one counts as missing. */
    String text(String name) {
        String value = optionalText(name);
        return required(name, value == null || value.isEmpty() ? null : value);
    }

    String optionalText(String name) {
        Object value = values.get(name);
        if (value == null || value instanceof String) {
            return (String) value;
        }
        throw ApiException.badRequest(INVALID, "argument '" + name + "' must be a string");
    }

    /** A string that may be empty (a file's content), but must be present. */
    String content(String name) {
        return required(name, optionalText(name));
    }

    Long optionalInteger(String name) {
        Object value = values.get(name);
        if (value == null) {
            return null;
        }
        if (value instanceof Number number && number.doubleValue() == Math.rint(number.doubleValue())) {
            return number.longValue();
        }
        throw ApiException.badRequest(INVALID, "argument '" + name + "' must be an integer");
    }

    long integer(String name) {
        return required(name, optionalInteger(name));
    }

    /** A required integer that fits an {@code int} (a port); the route checks its range. */
    int smallInteger(String name) {
        long value = integer(name);
        if (value != (int) value) {
            throw ApiException.badRequest(INVALID, "argument '" + name + "' is out of range");
        }
        return (int) value;
    }

    private static <T> T required(String name, T value) {
        if (value == null) {
            throw ApiException.badRequest(INVALID, "argument '" + name + "' is required");
        }
        return value;
    }
}
