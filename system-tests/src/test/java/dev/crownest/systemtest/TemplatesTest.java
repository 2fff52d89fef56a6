package dev.crownest.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crownest.contracts.security.Scopes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Templates through the public API with real gVisor: the list, custom templates end to end (built
 * from files and steps in a restricted sandbox, used by a create, refused while building, deleted
 * once no sandbox uses it, audited, invisible to another tenant), a failing step named in the logs,
 * and bad input refused without a trace.
 */
class TemplatesTest {
    private static final Duration BUILD_LIMIT = Duration.ofMinutes(4);
    private static PlatformClient api;
    private static String suffix;

    @BeforeAll
    static void client() {
        api = SystemUnderTest.client();
        suffix = UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void theListHasThePlatformTemplatesReady() {
        PlatformClient.Answer list = api.get("/v1/templates");
        assertThat(list.status()).as(list.raw()).isEqualTo(200);
        JsonNode base = find(list.body().path("data"), "base");
        assertThat(base).as(list.raw()).isNotNull();
        assertThat(base.path("origin").asText()).isEqualTo("platform");
        assertThat(base.path("status").asText()).isEqualTo("ready");
        assertThat(base.path("sizeBytes").asLong()).isPositive();
    }

    @Test
    void aCustomTemplateIsBuiltUsedAndDeleted() throws Exception {
        String name = "tools-" + suffix;
        PlatformClient.Answer created = api.post(
                "/v1/templates",
                Map.of(
                        "name",
                        name,
                        "from",
                        "base",
                        "files",
                        Map.of("/opt/tools/config.json", "{\"answer\":42}\n"),
                        "run",
                        List.of(
                                "echo made-by-a-step > /etc/made-by-step && sleep 3",
                                "mkdir -p /usr/local/lib/x && touch /usr/local/lib/x/y")));
        assertThat(created.status()).as(created.raw()).isEqualTo(202);
        assertThat(created.text("status")).isEqualTo("building");
        assertThat(created.text("origin")).isEqualTo("custom");
        assertThat(created.text("from")).isEqualTo("base");

        // not ready yet: a create is refused, never a 5xx
        PlatformClient.Answer early = api.post("/v1/sandboxes", Map.of("template", name));
        assertThat(early.status()).as(early.raw()).isEqualTo(409);
        assertThat(early.body().path("error").path("code").asText()).isEqualTo("template_not_ready");
        PlatformClient.Answer again = api.post("/v1/templates", Map.of("name", name, "from", "base"));
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.body().path("error").path("code").asText()).isEqualTo("template_exists");

        JsonNode ready = awaitBuilt(name);
        assertThat(ready.path("status").asText()).as(ready.toString()).isEqualTo("ready");
        assertThat(ready.path("sizeBytes").asLong()).isPositive();
        JsonNode logs = api.get("/v1/templates/" + name + "/logs").body();
        assertThat(logs.path("steps")).hasSize(3);
        assertThat(logs.path("steps").get(1).path("command").asText()).startsWith("echo made-by-a-step");
        assertThat(logs.path("steps").get(1).path("exitCode").asInt()).isZero();

        PlatformClient.Answer sandbox = api.post("/v1/sandboxes", Map.of("template", name, "ttlMs", 300_000));
        assertThat(sandbox.status()).as(sandbox.raw()).isEqualTo(201);
        String id = sandbox.text("id");
        PlatformClient.Answer seen = api.run(id, "cat /etc/made-by-step /opt/tools/config.json && ls /usr/local/lib/x");
        assertThat(seen.text("stdout")).isEqualTo("made-by-a-step\n{\"answer\":42}\ny\n");
        // the views name the template as the tenant does, never by the id its node starts
        assertThat(sandbox.text("template")).isEqualTo(name);
        assertThat(api.get("/v1/sandboxes/" + id).text("template")).isEqualTo(name);
        // a fork starts from the same custom template, and shows its name too
        PlatformClient.Answer paused = api.post("/v1/sandboxes/" + id + "/pause", Map.of());
        assertThat(paused.status()).as(paused.raw()).isEqualTo(200);
        PlatformClient.Answer snapshot = api.get("/v1/snapshots/" + paused.text("snapshotId"));
        assertThat(snapshot.text("template")).isEqualTo(name);
        PlatformClient.Answer fork = api.post("/v1/sandboxes", Map.of("fromSnapshot", paused.text("snapshotId")));
        assertThat(fork.status()).as(fork.raw()).isEqualTo(201);
        assertThat(fork.text("template")).isEqualTo(name);
        assertThat(api.run(fork.text("id"), "cat /etc/made-by-step").text("stdout"))
                .isEqualTo("made-by-a-step\n");
        assertThat(api.delete("/v1/sandboxes/" + fork.text("id")).status()).isEqualTo(200);

        PlatformClient.Answer refused = api.delete("/v1/templates/" + name);
        assertThat(refused.status()).as(refused.raw()).isEqualTo(409);
        assertThat(refused.body().path("error").path("code").asText()).isEqualTo("template_in_use");

        assertOtherTenantSeesNothing(name);

        assertThat(api.delete("/v1/sandboxes/" + id).status()).isEqualTo(200);
        PlatformClient.Answer deleted = api.delete("/v1/templates/" + name);
        assertThat(deleted.status()).as(deleted.raw()).isEqualTo(200);
        assertThat(api.get("/v1/templates/" + name).status()).isEqualTo(404);
        assertThat(api.get("/v1/sandboxes/" + id).text("template")).isEqualTo(name);
        PlatformClient.Answer gone = api.post("/v1/sandboxes", Map.of("template", name));
        assertThat(gone.body().path("error").path("code").asText()).isEqualTo("unknown_template");

        String templateId = ready.path("id").asText();
        List<String> actions = new ArrayList<>();
        Instant until = Instant.now().plusSeconds(30);
        while (actions.size() < 3 && Instant.now().isBefore(until)) {
            actions.clear();
            api.get("/v1/audit/events?resourceId=" + templateId)
                    .body()
                    .path("data")
                    .forEach(e -> actions.add(e.path("action").asText()));
            Thread.sleep(500);
        }
        assertThat(actions).contains("template.build_requested", "template.built", "template.deleted");
    }

    @Test
    void aFailingStepFailsTheBuildWithItsOutputAndExitCode() throws Exception {
        String name = "broken-" + suffix;
        PlatformClient.Answer created = api.post(
                "/v1/templates",
                Map.of(
                        "name",
                        name,
                        "from",
                        "base",
                        "run",
                        List.of("echo fine", "echo it broke >&2; exit 7", "echo never")));
        assertThat(created.status()).as(created.raw()).isEqualTo(202);
        JsonNode failed = awaitBuilt(name);
        assertThat(failed.path("status").asText()).isEqualTo("failed");
        assertThat(failed.path("error").asText()).contains("step 2").contains("exited 7");
        JsonNode logs = api.get("/v1/templates/" + name + "/logs").body();
        assertThat(logs.path("failedStep").asInt()).isEqualTo(2);
        JsonNode step = logs.path("steps").get(1);
        assertThat(step.path("command").asText()).isEqualTo("echo it broke >&2; exit 7");
        assertThat(step.path("output").asText()).isEqualTo("it broke\n");
        assertThat(step.path("exitCode").asInt()).isEqualTo(7);
        assertThat(logs.path("steps")).hasSize(2);
        PlatformClient.Answer create = api.post("/v1/sandboxes", Map.of("template", name));
        assertThat(create.status()).isEqualTo(409);
        assertThat(create.body().path("error").path("code").asText()).isEqualTo("template_not_ready");
        assertThat(api.delete("/v1/templates/" + name).status()).isEqualTo(200);
    }

    @Test
    void badInputIsRefusedAndChangesNothing() {
        String ok = "bad-" + suffix;
        Map<String, Object> tooManySteps = Map.of("name", ok, "from", "base", "run", Collections.nCopies(51, "true"));
        Map<String, Object> tooLarge =
                Map.of("name", ok, "from", "base", "files", Map.of("/opt/big", "x".repeat(101 * 1024)));
        List<Object[]> cases = List.of(
                new Object[] {Map.of("from", "base"), 400, "invalid_template_name"},
                new Object[] {Map.of("name", "Has_Upper", "from", "base"), 400, "invalid_template_name"},
                new Object[] {Map.of("name", "x".repeat(64), "from", "base"), 400, "invalid_template_name"},
                new Object[] {Map.of("name", ok, "from", "nope"), 400, "unknown_template"},
                new Object[] {Map.of("name", ok), 400, "unknown_template"},
                new Object[] {tooManySteps, 400, "too_many_steps"},
                new Object[] {tooLarge, 400, "template_too_large"},
                new Object[] {Map.of("name", ok, "from", "base", "run", List.of(" ")), 400, "invalid_step"},
                new Object[] {Map.of("name", ok, "from", "base", "files", Map.of("../etc/x", "a")), 400, "invalid_path"
                },
                new Object[] {Map.of("name", ok, "from", "base", "files", Map.of("/../../x", "a")), 400, "invalid_path"
                },
                new Object[] {
                    Map.of("name", ok, "from", "base", "files", Map.of("/workspace/a", "a")), 400, "invalid_path"
                },
                new Object[] {Map.of("name", "base", "from", "base"), 409, "template_exists"});
        for (Object[] c : cases) {
            PlatformClient.Answer answer = api.post("/v1/templates", c[0]);
            assertThat(answer.status()).as(answer.raw()).isEqualTo(c[1]);
            assertThat(answer.body().path("error").path("code").asText())
                    .as(answer.raw())
                    .isEqualTo(c[2]);
        }
        PlatformClient.Answer notJson = api.postRaw("/v1/templates", "{not json");
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(api.get("/v1/templates/" + ok).status()).isEqualTo(404);
        assertThat(api.get("/v1/templates/" + ok + "/logs").status()).isEqualTo(404);
        assertThat(api.delete("/v1/templates/base").status()).isEqualTo(404);

        List<String> readOnly = new ArrayList<>(Scopes.ALL);
        readOnly.remove(Scopes.TEMPLATES_WRITE);
        PlatformClient.Answer key = SystemUnderTest.operator()
                .post("/v1/keys?tenantId=default", Map.of("name", "no templates:write " + suffix, "scopes", readOnly));
        PlatformClient limited = api.withKey(key.text("key"));
        PlatformClient.Answer forbidden = limited.post("/v1/templates", Map.of("name", ok, "from", "base"));
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(forbidden.body().path("error").path("code").asText()).isEqualTo("missing_scope");
        assertThat(limited.get("/v1/templates").status()).isEqualTo(200);
    }

    private static void assertOtherTenantSeesNothing(String name) {
        PlatformClient operator = SystemUnderTest.operator();
        JsonNode other = operator.post("/v1/tenants", Map.of("name", "templates-" + suffix, "plan", "pro"))
                .body();
        PlatformClient otherAdmin =
                operator.withSession(other.path("adminToken").asText());
        PlatformClient otherKey = otherAdmin.withKey(otherAdmin
                .post("/v1/keys", Map.of("name", "all", "scopes", Scopes.ALL))
                .body()
                .path("key")
                .asText());
        assertThat(otherKey.get("/v1/templates/" + name).status()).isEqualTo(404);
        assertThat(otherKey.get("/v1/templates/" + name + "/logs").status()).isEqualTo(404);
        assertThat(otherKey.delete("/v1/templates/" + name).status()).isEqualTo(404);
        assertThat(otherKey.get("/v1/templates").raw()).doesNotContain(name);
        PlatformClient.Answer create = otherKey.post("/v1/sandboxes", Map.of("template", name));
        assertThat(create.body().path("error").path("code").asText()).isEqualTo("unknown_template");
    }

    /** Polls until the template is no longer building (bounded). */
    private static JsonNode awaitBuilt(String name) throws InterruptedException {
        Instant until = Instant.now().plus(BUILD_LIMIT);
        JsonNode view = api.get("/v1/templates/" + name).body();
        while (view.path("status").asText().equals("building") && Instant.now().isBefore(until)) {
            Thread.sleep(500);
            view = api.get("/v1/templates/" + name).body();
        }
        return view;
    }

    private static JsonNode find(JsonNode list, String name) {
        for (JsonNode t : list) {
            if (t.path("name").asText().equals(name)) {
                return t;
            }
        }
        return null;
    }
}
