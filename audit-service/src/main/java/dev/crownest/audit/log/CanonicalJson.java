package dev.crownest.audit.log;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.springframework.stereotype.Component;

/**
 * The one text form of a payload that goes into a hash: sorted keys at every level. PostgreSQL's
 * JSONB reorders keys, so the stored payload is brought back to this form before any recomputation.
 */
@Component
public class CanonicalJson {
    private final ObjectMapper canonical;

    public CanonicalJson(ObjectMapper json) {
        this.canonical = json.copy().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
                .configure(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY, true);
    }

    /** An event (or any value) in canonical form; through plain maps, so every object's keys come out sorted. */
    public String of(Object value) {
        try {
            return canonical.writeValueAsString(canonical.readValue(canonical.writeValueAsString(value), Object.class));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not serializable as JSON: " + value.getClass().getSimpleName(), e);
        }
    }

    /** A stored JSON text in canonical form. */
    public String ofText(String json) throws JsonProcessingException {
        return canonical.writeValueAsString(canonical.readValue(json, Object.class));
    }
}
