package dev.crownest.audit.log;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the audit log never keeps or shows (issue 15, F4 and F5): credential hashes and environment
 * values. New events are redacted before they are hashed into the chain, so their rows hold the
 * names alone. Rows written before this rule stay as they were (the chain is append-only and its
 * hashes cover them) and are redacted on every read and export instead.
 */
public final class SecretRedaction {
    /** Fields dropped wherever they appear: hashes of keys and session tokens. */
    static final Set<String> CREDENTIAL_FIELDS = Set.of("secretHash", "tokenHash", "adminTokenHash");
    /** Objects whose values are replaced, keeping their names. */
    static final Set<String> VALUE_MAPS = Set.of("env");
    /** What an env value reads as in the log. */
    public static final String REDACTED = "[redacted]";

    private SecretRedaction() {}

    /** A copy of a JSON tree (maps, lists, scalars) without credential hashes or env values. */
    public static Object redact(Object node) {
        return switch (node) {
            case Map<?, ?> map -> {
                Map<String, Object> clean = new LinkedHashMap<>();
                map.forEach((k, v) -> {
                    String key = (String) k;
                    if (CREDENTIAL_FIELDS.contains(key)) {
                        return;
                    }
                    if (VALUE_MAPS.contains(key) && v instanceof Map<?, ?> values) {
                        Map<String, Object> names = new LinkedHashMap<>();
                        values.keySet().forEach(name -> names.put((String) name, REDACTED));
                        clean.put(key, names);
                    } else {
                        clean.put(key, redact(v));
                    }
                });
                yield clean;
            }
            case List<?> list -> list.stream().map(SecretRedaction::redact).toList();
            case null, default -> node;
        };
    }
}
