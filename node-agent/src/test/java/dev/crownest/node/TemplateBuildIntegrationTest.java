package dev.crownest.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crownest.testing.IntegrationTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A custom template's layer with real runsc: files and steps change the root (a new file, a changed
 * one, a deleted one, a replaced directory), the changes become a template whose sandboxes see exactly
 * them, and the parent is untouched. A failing step fails the build, named with its output and exit.
 * The templates directory is the test's own; its {@code base} links to the shared one (never written).
 */
@IntegrationTest
class TemplateBuildIntegrationTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Path STATE = TestSandboxes.stateDir("node-template-build");
    static final Path TEMPLATES = STATE.resolve("templates");

    @DynamicPropertySource
    static void node(DynamicPropertyRegistry registry) throws Exception {
        TestSandboxes.register(registry, STATE);
        Files.createDirectories(TEMPLATES);
        Files.createSymbolicLink(TEMPLATES.resolve("base"), TestSandboxes.TEMPLATES.resolve("base"));
        registry.add("crownest.node.templates-dir", TEMPLATES::toString);
        registry.add("crownest.node.network.subnet", () -> "10.211.0.0/16");
    }

    @LocalServerPort
    int port;

    final HttpClient http = HttpClient.newHttpClient();

    @AfterAll
    static void removeState() throws Exception {
        TestSandboxes.remove(STATE);
    }

    @Test
    void theStepsChangesBecomeATemplate() throws Exception {
        JsonNode built = build(
                "tpl-layered",
                List.of(
                        "echo hello > /etc/hello && rm /etc/issue.net && echo changed > /etc/motd",
                        "rm -rf /usr/share/doc && mkdir -p /usr/share/doc && echo only > /usr/share/doc/only"),
                Map.of("/opt/app/main.py", "print('hi')\n"));
        assertThat(built.path("built").asBoolean()).as(built.toString()).isTrue();
        assertThat(built.path("sizeBytes").asLong()).isPositive();
        assertThat(built.path("steps")).hasSize(3); // the files, then the two steps
        System.out.printf(
                "custom template built in %d ms%n", built.path("durationMs").asLong());

        try (var sandbox = TestSandboxes.start(port, "tpl-layered", 1, 256, 0)) {
            var seen = sandbox.exec(
                    "cat /etc/hello /opt/app/main.py /etc/motd && test ! -e /etc/issue.net && ls /usr/share/doc",
                    20_000);
            assertThat(seen.stderr()).isEmpty();
            assertThat(seen.stdout()).isEqualTo("hello\nprint('hi')\nchanged\nonly\n");
        }
        Path parent = TestSandboxes.TEMPLATES.resolve("base/rootfs");
        assertThat(parent.resolve("etc/hello")).doesNotExist();
        assertThat(parent.resolve("etc/issue.net")).exists();
        assertThat(parent.resolve("usr/share/doc/only")).doesNotExist();
        assertThat(list().toString()).contains("\"name\":\"tpl-layered\",\"status\":\"ready\"");

        var deleted = http.send(
                NodeAgentClient.signed(uri("/node/v1/templates/tpl-layered"))
                        .DELETE()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(deleted.statusCode()).isEqualTo(200);
        assertThat(TEMPLATES.resolve("tpl-layered")).doesNotExist();
    }

    @Test
    void aFailingStepFailsTheBuildNamed() throws Exception {
        JsonNode failed = build("tpl-failing", List.of("echo fine", "echo boom >&2; exit 3", "echo never"), Map.of());
        assertThat(failed.path("built").asBoolean()).isFalse();
        assertThat(failed.path("failedStep").asInt()).isEqualTo(2);
        assertThat(failed.path("reason").asText()).contains("step 2").contains("exited 3");
        JsonNode step = failed.path("steps").get(1);
        assertThat(step.path("output").asText()).isEqualTo("boom\n");
        assertThat(step.path("exitCode").asInt()).isEqualTo(3);
        assertThat(failed.path("steps")).hasSize(2);
        assertThat(TEMPLATES.resolve("tpl-failing")).doesNotExist();
        try (var left = Files.list(TEMPLATES)) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".build-"));
        }
    }

    @Test
    void aStepPastItsTimeoutFailsTheBuild() throws Exception {
        JsonNode failed = build("tpl-slow", List.of("sleep 30"), Map.of(), 1000);
        assertThat(failed.path("built").asBoolean()).isFalse();
        assertThat(failed.path("failedStep").asInt()).isEqualTo(1);
        assertThat(failed.path("steps").get(0).path("timedOut").asBoolean()).isTrue();
        assertThat(failed.path("reason").asText()).contains("step 1 (sleep 30) passed its timeout");
    }

    @Test
    void anUnknownParentIsRefused() throws Exception {
        var refused = post("/node/v1/templates/tpl-orphan/build", Map.of("from", "nope", "tenantId", "t1"));
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("unknown_template");
    }

    private JsonNode build(String name, List<String> run, Map<String, String> files) throws Exception {
        return build(name, run, files, 0);
    }

    private JsonNode build(String name, List<String> run, Map<String, String> files, long stepTimeoutMs)
            throws Exception {
        var answer = post(
                "/node/v1/templates/" + name + "/build",
                Map.of("from", "base", "tenantId", "t1", "run", run, "files", files, "stepTimeoutMs", stepTimeoutMs));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return JSON.readTree(answer.body());
    }

    private JsonNode list() throws Exception {
        return JSON.readTree(http.send(
                        NodeAgentClient.signed(uri("/node/v1/templates")).build(), HttpResponse.BodyHandlers.ofString())
                .body());
    }

    private HttpResponse<String> post(String path, Object body) throws Exception {
        return http.send(
                NodeAgentClient.signed(uri(path))
                        .header("content-type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
