package dev.crownest.gateway.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crownest.contracts.text.TextRules;
import java.util.Iterator;
import java.util.Map;

/**
 * Applies {@link TextRules} to every string of a JSON body, object keys included (metadata and env
 * names), so one check covers every route's body, the contracts' records and the relayed ones alike.
 * A field is named by its JSON path ({@code metadata.owner}, {@code allowedHosts[2]}).
 */
final class TextFields {
    private TextFields() {}

    static void check(JsonNode node) {
        check("", node);
    }

    private static void check(String path, JsonNode node) {
        if (node.isTextual()) {
            TextRules.check(name(path), node.textValue(), TextRules.multiLine(path));
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                String child = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
                // A key is a name: never multi-line. Named by its parent, since the key is what is wrong.
                TextRules.check("a key of " + name(path), field.getKey(), false);
                check(child, field.getValue());
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                check(path + "[" + i + "]", node.get(i));
            }
        }
    }

    private static String name(String path) {
        return path.isEmpty() ? "the body" : "field '" + path + "'";
    }
}
