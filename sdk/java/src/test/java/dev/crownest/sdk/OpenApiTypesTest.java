package dev.crownest.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The SDK's records against the running stack's {@code GET /v1/openapi.json} (the TypeScript SDK's
 * openapi test, in Java): every route the SDK calls exists with its method, every component of the
 * records the SDK reads answers into is a field of the matching schema with the same JSON type, and every
 * field of a body the SDK sends is in the request schema with its type. A drift on either side fails here.
 */
@Tag("stack")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenApiTypesTest {

    /** Method and path of every route the SDK calls (path variables by any name). */
    private static final List<String> ROUTES = List.of(
            "post /v1/sandboxes",
            "get /v1/sandboxes",
            "get /v1/sandboxes/{}",
            "delete /v1/sandboxes/{}",
            "post /v1/sandboxes/{}/pause",
            "post /v1/sandboxes/{}/resume",
            "post /v1/sandboxes/{}/ttl",
            "post /v1/sandboxes/{}/commands",
            "get /v1/sandboxes/{}/commands",
            "get /v1/sandboxes/{}/commands/{}",
            "post /v1/sandboxes/{}/commands/{}/cancel",
            "get /v1/sandboxes/{}/commands/{}/stream",
            "get /v1/sandboxes/{}/files",
            "put /v1/sandboxes/{}/files",
            "delete /v1/sandboxes/{}/files",
            "get /v1/sandboxes/{}/files/list",
            "post /v1/sandboxes/{}/files/mkdir",
            "post /v1/sandboxes/{}/files/move",
            "post /v1/sandboxes/{}/files/upload-url",
            "post /v1/sandboxes/{}/files/download-url",
            "post /v1/sandboxes/{}/previews",
            "get /v1/sandboxes/{}/previews",
            "get /v1/sandboxes/{}/previews/{}",
            "delete /v1/sandboxes/{}/previews/{}",
            "post /v1/sandboxes/{}/previews/{}/tokens",
            "get /v1/sandboxes/{}/artifacts",
            "get /v1/sandboxes/{}/artifacts/{}",
            "get /v1/sandboxes/{}/artifacts/{}/content",
            "get /v1/snapshots/{}",
            "post /v1/tenants",
            "get /v1/tenants",
            "post /v1/projects",
            "get /v1/projects",
            "get /v1/projects/{}",
            "post /v1/keys",
            "get /v1/keys",
            "get /v1/keys/{}",
            "delete /v1/keys/{}",
            "get /v1/quotas");

    /** SDK record → the OpenAPI schema it is read from. */
    private static final Map<Class<? extends Record>, String> ANSWERS = Map.ofEntries(
            Map.entry(SandboxInfo.class, "SandboxView"),
            Map.entry(CommandRecord.class, "CommandView"),
            Map.entry(Artifact.class, "ArtifactView"),
            Map.entry(CollectError.class, "CollectError"),
            Map.entry(FileEntry.class, "Entry"),
            Map.entry(SignedUrl.class, "SignedUrl"),
            Map.entry(Preview.class, "PreviewView"),
            Map.entry(PreviewToken.class, "PreviewTokenView"),
            Map.entry(Tenant.class, "TenantView"),
            Map.entry(Project.class, "ProjectView"),
            Map.entry(ApiKey.class, "KeyView"));

    private JsonNode doc;

    @BeforeAll
    void document() {
        doc = Stack.fromEnvFile().client().get("/v1/openapi.json");
    }

    @Test
    void everyRouteTheSdkCallsIsInTheDocument() {
        List<String> served = new ArrayList<>();
        doc.path("paths")
                .fields()
                .forEachRemaining(path -> path.getValue()
                        .fieldNames()
                        .forEachRemaining(method ->
                                served.add(method + " " + path.getKey().replaceAll("\\{[^}]*}", "{}"))));
        assertThat(served).containsAll(ROUTES);
    }

    @Test
    void everyRecordComponentIsAFieldOfItsSchemaWithTheSameJsonType() {
        List<String> drift = new ArrayList<>();
        ANSWERS.forEach((record, schemaName) -> {
            JsonNode schema = schema(schemaName);
            for (RecordComponent c : record.getRecordComponents()) {
                JsonNode field = schema.path("properties").path(c.getName());
                String where = record.getSimpleName() + "." + c.getName() + " (" + schemaName + ")";
                if (field.isMissingNode()) {
                    drift.add(where + ": not in the schema");
                } else if (!jsonTypes(c.getType()).contains(typeOf(field))) {
                    drift.add(where + ": " + c.getType().getSimpleName() + " in the SDK, " + typeOf(field)
                            + " in the API");
                }
            }
        });
        assertThat(drift).isEmpty();
    }

    @Test
    void theBodiesTheSdkSendsMatchTheirRequestSchemas() {
        RunOptions run = new RunOptions()
                .cwd("/workspace")
                .env("A", "1")
                .timeout(Duration.ofSeconds(5))
                .stdin("in")
                .collect("out.txt");
        JsonNode runBody = Transport.JSON.valueToTree(run.body("true"));
        ((ObjectNode) runBody).put("stream", true);
        CreateSandboxOptions create = new CreateSandboxOptions()
                .template("base")
                .ttl(Duration.ofMinutes(1))
                .network("restricted")
                .allowedHosts(List.of("example.com"))
                .env(Map.of("A", "1"))
                .metadata(Map.of("k", "v"))
                .cpu(1)
                .memoryMb(512)
                .diskMb(1024)
                .projectId("prj_1");
        List<String> drift = new ArrayList<>();
        compare(runBody, "RunCommandRequest", drift);
        compare(Transport.JSON.valueToTree(create), "CreateSandboxRequest", drift);
        compare(Transport.JSON.valueToTree(Map.of("port", 3000)), "CreatePreviewRequest", drift);
        compare(Transport.JSON.valueToTree(Map.of("ttlMs", 1000)), "ExtendTtlRequest", drift);
        compare(Transport.JSON.valueToTree(Map.of("path", "/a", "expiresInSeconds", 60)), "SignedUrlRequest", drift);
        compare(Transport.JSON.valueToTree(Map.of("name", "t", "plan", "pro")), "CreateTenantRequest", drift);
        compare(Transport.JSON.valueToTree(Map.of("name", "p")), "CreateProjectRequest", drift);
        compare(
                Transport.JSON.valueToTree(Map.of("name", "k", "scopes", List.of("sandboxes:read"), "projectId", "p")),
                "CreateKeyRequest",
                drift);
        assertThat(drift).isEmpty();
    }

    private void compare(JsonNode body, String schemaName, List<String> drift) {
        JsonNode schema = schema(schemaName);
        for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            JsonNode field = schema.path("properties").path(f.getKey());
            String sent = jsonType(f.getValue().getNodeType());
            if (field.isMissingNode()) {
                drift.add(schemaName + "." + f.getKey() + ": sent by the SDK, not in the schema");
            } else if (!sent.equals(typeOf(field))
                    && !(sent.equals("integer") && typeOf(field).equals("number"))) {
                drift.add(schemaName + "." + f.getKey() + ": " + sent + " sent, " + typeOf(field) + " in the API");
            }
        }
    }

    private JsonNode schema(String name) {
        JsonNode schema = doc.path("components").path("schemas").path(name);
        assertThat(schema.isMissingNode())
                .as("schema " + name + " in /v1/openapi.json")
                .isFalse();
        return schema;
    }

    /** A property's JSON type, through its $ref; "object" for a schema with properties and no type. */
    private String typeOf(JsonNode property) {
        if (property.has("$ref")) {
            String ref = property.get("$ref").asText();
            return typeOf(schema(ref.substring(ref.lastIndexOf('/') + 1)));
        }
        if (property.has("type")) {
            return property.get("type").asText();
        }
        return property.has("properties") || property.has("additionalProperties") ? "object" : "any";
    }

    /** The JSON types a component of {@code type} reads. */
    private static Set<String> jsonTypes(Class<?> type) {
        if (type == String.class || type == Instant.class || type.isEnum()) {
            return Set.of("string");
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return Set.of("integer");
        }
        if (type == double.class || type == Double.class || type == BigDecimal.class) {
            return Set.of("number", "integer");
        }
        if (type == boolean.class || type == Boolean.class) {
            return Set.of("boolean");
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return Set.of("array");
        }
        if (type == JsonNode.class) {
            return Set.of("object", "array", "string", "integer", "number", "boolean", "any");
        }
        return Set.of("object");
    }

    private static String jsonType(JsonNodeType type) {
        return switch (type) {
            case ARRAY -> "array";
            case BOOLEAN -> "boolean";
            case NUMBER -> "integer";
            case STRING -> "string";
            default -> "object";
        };
    }
}
