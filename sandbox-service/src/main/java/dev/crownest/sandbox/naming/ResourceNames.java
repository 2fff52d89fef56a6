package dev.crownest.sandbox.naming;

import dev.crownest.contracts.api.ApiException;

/** The one rule for names people give tenants, projects and keys: 1..100 characters, not only blanks. */
public final class ResourceNames {
    public static final int MAX_LENGTH = 100;

    private ResourceNames() {}

    /** The name trimmed; rejected as {@code invalid_name} when empty or longer than {@link #MAX_LENGTH}. */
    public static String require(String name, String what) {
        String trimmed = name == null ? "" : name.strip();
        if (trimmed.isEmpty() || trimmed.length() > MAX_LENGTH) {
            throw ApiException.badRequest("invalid_name", what + " name must be 1 to " + MAX_LENGTH + " characters");
        }
        return trimmed;
    }
}
