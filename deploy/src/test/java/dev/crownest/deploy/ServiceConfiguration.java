package dev.crownest.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one service reads from its environment, derived from the repository rather than kept by hand: the
 * keys of its {@code application.yml} (and of service-kit's defaults when it imports them) in their
 * environment forms, the placeholders those files resolve, and the variables {@code infra/scripts/stack.sh}
 * hands the service's process ({@code service_env}).
 *
 * @param service  the module name, as {@code stack.sh} names it
 * @param envNames every environment variable the service is known to read
 * @param config   its {@code application.yml} (with the imported defaults), flattened to dotted keys
 */
record ServiceConfiguration(String service, Set<String> envNames, Map<String, String> config) {

    private static final YAMLMapper YAML = new YAMLMapper();
    private static final String DEFAULTS = "service-kit/src/main/resources/crownest-service-defaults.yml";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9_.\\-]+)");
    private static final Pattern ECHOED = Pattern.compile("echo \"([A-Z][A-Z0-9_]*)=");
    private static final Pattern BRANCH = Pattern.compile("^\\s{4}([a-z|-]+)\\)");

    /**
     * Properties a service binds ({@code @ConfigurationProperties}) that neither its application.yml nor
     * stack.sh names, so no file above shows them; each is listed in docs/services.md.
     */
    private static final Map<String, List<String>> BOUND_WITHOUT_DEFAULT = Map.of(
            // PreviewProperties (crownest.node.preview.tunnel-port): 0 = a free port; the manifests fix it
            "node-agent", List.of("crownest.node.preview.tunnel-port"));

    static ServiceConfiguration of(Path root, String service) {
        Set<String> names = new HashSet<>();
        Map<String, String> config = new TreeMap<>();
        String own = read(root.resolve(service + "/src/main/resources/application.yml"));
        // the defaults count only where spring.config.import takes them (a comment naming the file does not)
        boolean importsDefaults = tree(own)
                .path("spring")
                .path("config")
                .path("import")
                .asText()
                .contains("crownest-service-defaults.yml");
        List<String> texts = importsDefaults ? List.of(read(root.resolve(DEFAULTS)), own) : List.of(own);
        for (String text : texts) {
            flatten("", tree(text), config);
            Matcher placeholders = PLACEHOLDER.matcher(text);
            while (placeholders.find()) {
                names.addAll(envForms(placeholders.group(1)));
            }
        }
        config.keySet().forEach(key -> names.addAll(envForms(key)));
        BOUND_WITHOUT_DEFAULT.getOrDefault(service, List.of()).forEach(key -> names.addAll(envForms(key)));
        names.addAll(stackEnv(read(root.resolve("infra/scripts/stack.sh")), service));
        return new ServiceConfiguration(service, Set.copyOf(names), Map.copyOf(config));
    }

    /**
     * The environment names Spring Boot binds a property from: dots become underscores and dashes are
     * dropped ({@code CROWNEST_NODE_STATEDIR}) or, in the legacy form, become underscores too
     * ({@code CROWNEST_NODE_STATE_DIR}). A placeholder already in environment form stays as it is.
     */
    static Set<String> envForms(String property) {
        if (property.equals(property.toUpperCase(Locale.ROOT))) {
            return Set.of(property);
        }
        String underscored = property.replace('.', '_').toUpperCase(Locale.ROOT);
        return Set.copyOf(List.of(underscored.replace("-", ""), underscored.replace('-', '_')));
    }

    /** The names stack.sh's service_env echoes to every service, plus those of the service's own case branch. */
    static Set<String> stackEnv(String stackScript, String service) {
        Set<String> names = new HashSet<>();
        boolean inFunction = false;
        String branch = null;
        for (String line : stackScript.lines().toList()) {
            if (line.startsWith("service_env()")) {
                inFunction = true;
                continue;
            }
            if (!inFunction) {
                continue;
            }
            if (line.equals("}")) {
                break;
            }
            Matcher opens = BRANCH.matcher(line);
            if (opens.find()) {
                branch = opens.group(1);
            }
            Matcher echoed = ECHOED.matcher(line);
            if (echoed.find() && (branch == null || List.of(branch.split("\\|")).contains(service))) {
                names.add(echoed.group(1));
            }
            if (line.contains(";;")) {
                branch = null;
            }
        }
        return names;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> into) {
        if (node.isObject()) {
            node.properties().forEach(entry -> flatten(prefix + entry.getKey() + ".", entry.getValue(), into));
        } else if (!prefix.isEmpty()) {
            into.put(prefix.substring(0, prefix.length() - 1), node.isValueNode() ? node.asText() : node.toString());
        }
    }

    private static JsonNode tree(String yaml) {
        try {
            return YAML.readTree(yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
