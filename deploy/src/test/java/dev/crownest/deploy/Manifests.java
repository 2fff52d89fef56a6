package dev.crownest.deploy;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.deser.BeanDeserializerBuilder;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Every YAML document under {@code deploy/kubernetes}, parsed strictly into fabric8's Kubernetes model: a
 * field the model does not know fails, as {@code kubectl apply --validate=strict} would (the schemas on
 * GitHub cannot be reached from CI, the model on Maven Central can).
 */
record Manifests(List<HasMetadata> resources) {

    /** The kinds the manifests may use; another kind fails, so each new one is a deliberate addition here. */
    private static final Map<String, Class<? extends HasMetadata>> KINDS = Stream.of(
                    Namespace.class,
                    ConfigMap.class,
                    Secret.class,
                    Service.class,
                    Endpoints.class,
                    PersistentVolumeClaim.class,
                    Deployment.class,
                    DaemonSet.class,
                    NetworkPolicy.class,
                    Ingress.class)
            .collect(Collectors.toMap(HasMetadata::getKind, kind -> kind));

    /**
     * fabric8's model keeps unknown fields in each object's {@code additionalProperties} (an any-setter),
     * so that a newer server's fields survive a round trip. For validation that is the wrong default:
     * without the any-setter an unknown field fails with Jackson's {@code UnrecognizedPropertyException}.
     */
    private static final YAMLMapper STRICT = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .addModule(new SimpleModule().setDeserializerModifier(new BeanDeserializerModifier() {
                @Override
                public BeanDeserializerBuilder updateBuilder(
                        DeserializationConfig config, BeanDescription description, BeanDeserializerBuilder builder) {
                    builder.setAnySetter(null);
                    return builder;
                }
            }))
            .build();

    static Manifests load(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            List<HasMetadata> resources = new ArrayList<>();
            for (Path file :
                    files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                resources.addAll(
                        parse(Files.readString(file), file.getFileName().toString()));
            }
            return new Manifests(resources);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The documents of one YAML text, each checked against the model of its kind and API version. */
    static List<HasMetadata> parse(String yaml, String source) throws IOException {
        List<HasMetadata> parsed = new ArrayList<>();
        for (JsonNode document :
                STRICT.readerFor(JsonNode.class).<JsonNode>readValues(yaml).readAll()) {
            if (document == null || document.isEmpty()) {
                continue;
            }
            String kind = document.path("kind").asText();
            Class<? extends HasMetadata> type = KINDS.get(kind);
            if (type == null) {
                throw new IllegalArgumentException(source + ": kind '" + kind + "' is not one the manifests use");
            }
            String apiVersion = HasMetadata.getApiVersion(type);
            if (!apiVersion.equals(document.path("apiVersion").asText())) {
                throw new IllegalArgumentException(source + ": " + kind + " needs apiVersion " + apiVersion + ", not "
                        + document.get("apiVersion"));
            }
            parsed.add(STRICT.treeToValue(document, type));
        }
        return parsed;
    }

    <T extends HasMetadata> List<T> all(Class<T> kind) {
        return resources.stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    <T extends HasMetadata> T named(Class<T> kind, String name) {
        return all(kind).stream()
                .filter(r -> r.getMetadata().getName().equals(name))
                .findFirst()
                .orElse(null);
    }
}
