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
 *   <li>Multi-line text ({@link #MULTI_LINE}: a command line, its stdin, an environment value) may also
 *       hold tab, line feed and carriage return. Nothing else does: names, ids, keys, metadata, paths,
 *       filters, query parameters.
 * </ul>
 *
 * Bytes that are not text (file contents, uploads) are not text fields and are never checked.
 */
public final class TextRules {
    /** Fields (the last name of a JSON path, e.g. {@code env.PATH} is {@code env.*}) whose text may span lines. */
    public static final Set<String> MULTI_LINE = Set.of("cmd", "stdin", "env.*");

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

    /** Whether the field at this JSON path (dots between names) may span lines. */
    public static boolean multiLine(String path) {
        int dot = path.lastIndexOf('.');
        String last = dot < 0 ? path : path.substring(dot + 1);
        String parent = dot < 0 ? "" : path.substring(0, dot);
        int parentDot = parent.lastIndexOf('.');
        String parentName = parentDot < 0 ? parent : parent.substring(parentDot + 1);
        return MULTI_LINE.contains(last) || (!parentName.isEmpty() && MULTI_LINE.contains(parentName + ".*"));
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
