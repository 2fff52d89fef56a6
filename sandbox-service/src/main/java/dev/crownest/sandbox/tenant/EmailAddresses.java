package dev.crownest.sandbox.tenant;

import dev.crownest.contracts.api.ApiException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The one rule for a sign-up's email: a plain address of ASCII letters, digits and the usual local-part
 * signs, with a dotted domain, at most 254 characters (RFC 5321's path limit). Nothing is sent to it; it
 * names the tenant's owner and is unique among tenants in any case.
 */
final class EmailAddresses {
    static final int MAX_LENGTH = 254;
    private static final String LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
    private static final Pattern ADDRESS =
            Pattern.compile("[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@" + LABEL + "(?:\\." + LABEL + ")+");

    private EmailAddresses() {}

    /** The address trimmed, its domain in lower case; 400 {@code invalid_email} when it is not one. */
    static String require(String email) {
        String trimmed = email == null ? "" : email.strip();
        if (trimmed.length() > MAX_LENGTH
                || !ADDRESS.matcher(trimmed).matches()
                || trimmed.startsWith(".")
                || trimmed.contains("..")) {
            throw ApiException.badRequest(
                    "invalid_email",
                    "email must be one address like name@example.com, at most " + MAX_LENGTH + " characters");
        }
        int at = trimmed.indexOf('@');
        return trimmed.substring(0, at + 1) + trimmed.substring(at + 1).toLowerCase(Locale.ROOT);
    }
}
