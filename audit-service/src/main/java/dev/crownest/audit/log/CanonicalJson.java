package dev.crownest.audit.log;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The one text form of a payload that goes into a hash: sorted keys at every level. PostgreSQL's
 * JSONB reorders keys, so the stored payload is brought back to this form before any recomputation.
 */
@Component
public class CanonicalJson {
    private final ObjectMapper canonical;

    public CanonicalJson(ObjectMapper json) {
        this.canonical = json.copy()
                .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
                .configure(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY, true);
    }

    /**
     * An event (or any value) in canonical form; through plain maps, so every object's keys come out
     * sorted. NUL characters become U+FFFD: JSONB cannot hold them, and an event must not be lost
     * over one (a command line may carry anything). Credential hashes and env values are left out
     * ({@link SecretRedaction}) before anything is hashed.
     */
    public String of(Object value) {
        try {
            // bytes, not a String: Jackson's UTF-8 parser is the faster one, and this runs for every event
            byte[] text = canonical.writeValueAsBytes(value);
            Object tree = canonical.readValue(text, Object.class);
            if (containsNulEscape(text)) {
                tree = withoutNul(tree);
            }
            return canonical.writeValueAsString(SecretRedaction.redact(tree));
        } catch (IOException e) { // from an in-memory text: only ever a JsonProcessingException
            throw new IllegalArgumentException(
                    "not serializable as JSON: " + value.getClass().getSimpleName(), e);
        }
    }

    private static final byte[] NUL_ESCAPE = "\\u0000".getBytes(StandardCharsets.US_ASCII);

    /** Whether the JSON text holds an escaped NUL (Jackson writes a NUL character only that way). */
    private static boolean containsNulEscape(byte[] text) {
        outer:
        for (int i = 0; i + NUL_ESCAPE.length <= text.length; i++) {
            for (int j = 0; j < NUL_ESCAPE.length; j++) {
                if (text[i + j] != NUL_ESCAPE[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static Object withoutNul(Object node) {
        return switch (node) {
            case String s -> s.replace((char) 0, '\uFFFD');
            case Map<?, ?> map -> {
                Map<String, Object> clean = new LinkedHashMap<>();
                map.forEach((k, v) -> clean.put(((String) k).replace((char) 0, '\uFFFD'), withoutNul(v)));
                yield clean;
            }
            case List<?> list -> list.stream().map(CanonicalJson::withoutNul).toList();
            case null, default -> node;
        };
    }

    /** A stored JSON text in canonical form, redacted ({@link SecretRedaction}): what exports show. */
    public String ofTextRedacted(String json) throws JsonProcessingException {
        return canonical.writeValueAsString(SecretRedaction.redact(canonical.readValue(json, Object.class)));
    }

    /** A stored JSON text in canonical form. */
    public String ofText(String json) throws JsonProcessingException {
        return canonical.writeValueAsString(canonical.readValue(json, Object.class));
    }
}
