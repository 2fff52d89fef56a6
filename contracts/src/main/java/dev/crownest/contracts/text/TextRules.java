package dev.crownest.contracts.text;

import dev.crownest.contracts.api.ApiException;
import java.util.Set;

/**
 * What text the API accepts, one rule for every field, query parameter and path segment, checked where
 * a request enters (the gateway) before anything is stored. PostgreSQL cannot store NUL ({@code 0x00})
 * in text or jsonb, and a control character in a name, id or filter is never meant: both get 400
 * {@code invalid_text}, naming the field.
 *
 * <ul>
 *   <li>Every text: no C0 control (U+0000–U+001F), no DEL (U+007F), no C1 control (U+0080–U+009F), no
 *       unpaired surrogate (it has no UTF-8 encoding).
 *   <li>Multi-line text ({@link #MULTI_LINE}: a command line, its stdin, an environment value, a
 *       template's steps and files, an MCP tool's code) may also
 *       hold tab, line feed and carriage return. Nothing else does: names, ids, keys, metadata, paths,
 *       filters, query parameters.
 * </ul>
 *
 * Bytes that are not text (file contents, uploads) are not text fields and are never checked.
 */
public final class TextRules {
    /**
     * Fields whose text may span lines (see {@link #multiLine}): a command line and its stdin, environment
     * values, a template's run steps and file contents, and the MCP tools' command, code and file content.
     */
    public static final Set<String> MULTI_LINE =
            Set.of("cmd", "stdin", "env.*", "run[]", "files.*", "command", "code", "content");

    /** The longest name in a path, in UTF-8 bytes: what Linux file systems take (NAME_MAX); longer is 400 {@code name_too_long}. */
    public static final int MAX_NAME_BYTES = 255;

    private TextRules() {}

    /** 400 {@code invalid_text} unless {@code value} is acceptable text for {@code field}. */
    public static void check(String field, String value, boolean multiLine) {
        int bad = firstRefused(value, multiLine);
        if (bad >= 0) {
            throw invalid(field, value, bad);
        }
    }

    /** The index of the first refused character, or -1. */
    public static int firstRefused(String value, boolean multiLine) {
        if (value == null) {
            return -1;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c)
                    && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++; // a whole supplementary character
                continue;
            }
            if (Character.isSurrogate(c)) {
                return i;
            }
            if (Character.getType(c) == Character.CONTROL && !(multiLine && (c == '\t' || c == '\n' || c == '\r'))) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Whether the field at this JSON path (dots between names, {@code [i]} for elements) may span lines:
     * a field named in {@link #MULTI_LINE} at any depth (an MCP tool's arguments sit under
     * {@code params.arguments}), any value of a map named {@code name.*}, any element of a list named
     * {@code name[]}. Map keys may hold dots themselves (a template's file paths), so a map is found by
     * its name before them.
     */
    public static boolean multiLine(String path) {
        for (String rule : MULTI_LINE) {
            String prefix = rule.endsWith(".*")
                    ? rule.substring(0, rule.length() - 1)
                    : rule.endsWith("[]") ? rule.substring(0, rule.length() - 1) : null;
            boolean matches = prefix == null
                    ? path.equals(rule) || path.endsWith("." + rule)
                    : path.startsWith(prefix) || path.contains("." + prefix);
            if (matches) {
                return true;
            }
        }
        return false;
    }

    private static ApiException invalid(String field, String value, int at) {
        char c = value.charAt(at);
        String what = Character.isSurrogate(c)
                ? "an unpaired surrogate"
                : String.format("the control character U+%04X", (int) c);
        // The value itself is never echoed: it may be a secret, and it is what cannot be printed.
        return ApiException.badRequest("invalid_text", field + " contains " + what + " at position " + at);
    }
}
