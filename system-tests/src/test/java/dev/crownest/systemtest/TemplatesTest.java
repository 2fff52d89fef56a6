package dev.crownest.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crownest.contracts.security.Scopes;
import dev.crownest.sdk.CrowNest;
import dev.crownest.sdk.RawResponse;
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
    private static CrowNest api;
    private static String suffix;

    @BeforeAll
    static void client() {
        api = SystemUnderTest.client();
        suffix = UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void theListHasThePlatformTemplatesReady() {
        RawResponse list = api.http().send("GET", "/v1/templates");
        assertThat(list.status()).as(list.text()).isEqualTo(200);
        JsonNode base = find(list.json().path("data"), "base");
        assertThat(base).as(list.text()).isNotNull();
        assertThat(base.path("origin").asText()).isEqualTo("platform");
        assertThat(base.path("status").asText()).isEqualTo("ready");
        assertThat(base.path("sizeBytes").asLong()).isPositive();
    }

    @Test
    void aCustomTemplateIsBuiltUsedAndDeleted() throws Exception {
        String name = "tools-" + suffix;
        RawResponse created = api.http()
                .send(
                        "POST",
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
        assertThat(created.status()).as(created.text()).isEqualTo(202);
        assertThat(created.field("status")).isEqualTo("building");
        assertThat(created.field("origin")).isEqualTo("custom");
        assertThat(created.field("from")).isEqualTo("base");

        // not ready yet: a create is refused, never a 5xx
        RawResponse early = api.http().send("POST", "/v1/sandboxes", Map.of("template", name));
        assertThat(early.status()).as(early.text()).isEqualTo(409);
        assertThat(early.json().path("error").path("code").asText()).isEqualTo("template_not_ready");
        RawResponse again = api.http().send("POST", "/v1/templates", Map.of("name", name, "from", "base"));
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().path("error").path("code").asText()).isEqualTo("template_exists");

        JsonNode ready = awaitBuilt(name);
        assertThat(ready.path("status").asText()).as(ready.toString()).isEqualTo("ready");
        assertThat(ready.path("sizeBytes").asLong()).isPositive();
        JsonNode logs =
                api.http().send("GET", "/v1/templates/" + name + "/logs").json();
        assertThat(logs.path("steps")).hasSize(3);
        assertThat(logs.path("steps").get(1).path("command").asText()).startsWith("echo made-by-a-step");
        assertThat(logs.path("steps").get(1).path("exitCode").asInt()).isZero();

        RawResponse sandbox = api.http().send("POST", "/v1/sandboxes", Map.of("template", name, "ttlMs", 300_000));
        assertThat(sandbox.status()).as(sandbox.text()).isEqualTo(201);
        String id = sandbox.field("id");
        RawResponse seen = api.http()
                .send(
                        "POST",
                        "/v1/sandboxes/" + id + "/commands",
                        Map.of("cmd", "cat /etc/made-by-step /opt/tools/config.json && ls /usr/local/lib/x"));
        assertThat(seen.field("stdout")).isEqualTo("made-by-a-step\n{\"answer\":42}\ny\n");
        // the views name the template as the tenant does, never by the id its node starts
        assertThat(sandbox.field("template")).isEqualTo(name);
        assertThat(api.http().send("GET", "/v1/sandboxes/" + id).field("template"))
                .isEqualTo(name);
        // a fork starts from the same custom template, and shows its name too
        RawResponse paused = api.http().send("POST", "/v1/sandboxes/" + id + "/pause", Map.of());
        assertThat(paused.status()).as(paused.text()).isEqualTo(200);
        RawResponse snapshot = api.http().send("GET", "/v1/snapshots/" + paused.field("snapshotId"));
        assertThat(snapshot.field("template")).isEqualTo(name);
        RawResponse fork = api.http().send("POST", "/v1/sandboxes", Map.of("fromSnapshot", paused.field("snapshotId")));
        assertThat(fork.status()).as(fork.text()).isEqualTo(201);
        assertThat(fork.field("template")).isEqualTo(name);
        assertThat(api.http()
                        .send(
                                "POST",
                                "/v1/sandboxes/" + fork.field("id") + "/commands",
                                Map.of("cmd", "cat /etc/made-by-step"))
                        .field("stdout"))
                .isEqualTo("made-by-a-step\n");
        assertThat(api.http()
                        .send("DELETE", "/v1/sandboxes/" + fork.field("id"))
                        .status())
                .isEqualTo(200);

        RawResponse refused = api.http().send("DELETE", "/v1/templates/" + name);
        assertThat(refused.status()).as(refused.text()).isEqualTo(409);
        assertThat(refused.json().path("error").path("code").asText()).isEqualTo("template_in_use");

        assertOtherTenantSeesNothing(name);

        assertThat(api.http().send("DELETE", "/v1/sandboxes/" + id).status()).isEqualTo(200);
        RawResponse deleted = api.http().send("DELETE", "/v1/templates/" + name);
        assertThat(deleted.status()).as(deleted.text()).isEqualTo(200);
        assertThat(api.http().send("GET", "/v1/templates/" + name).status()).isEqualTo(404);
        assertThat(api.http().send("GET", "/v1/sandboxes/" + id).field("template"))
                .isEqualTo(name);
        RawResponse gone = api.http().send("POST", "/v1/sandboxes", Map.of("template", name));
        assertThat(gone.json().path("error").path("code").asText()).isEqualTo("unknown_template");

        String templateId = ready.path("id").asText();
        List<String> actions = new ArrayList<>();
        Instant until = Instant.now().plusSeconds(30);
        while (actions.size() < 3 && Instant.now().isBefore(until)) {
            actions.clear();
            api.http()
                    .send("GET", "/v1/audit/events?resourceId=" + templateId)
                    .json()
                    .path("data")
                    .forEach(e -> actions.add(e.path("action").asText()));
            Thread.sleep(500);
        }
        assertThat(actions).contains("template.build_requested", "template.built", "template.deleted");
    }

    @Test
    void aFailingStepFailsTheBuildWithItsOutputAndExitCode() throws Exception {
        String name = "broken-" + suffix;
        RawResponse created = api.http()
                .send(
                        "POST",
                        "/v1/templates",
                        Map.of(
                                "name",
                                name,
                                "from",
                                "base",
                                "run",
                                List.of("echo fine", "echo it broke >&2; exit 7", "echo never")));
        assertThat(created.status()).as(created.text()).isEqualTo(202);
        JsonNode failed = awaitBuilt(name);
        assertThat(failed.path("status").asText()).isEqualTo("failed");
        assertThat(failed.path("error").asText()).contains("step 2").contains("exited 7");
        JsonNode logs =
                api.http().send("GET", "/v1/templates/" + name + "/logs").json();
        assertThat(logs.path("failedStep").asInt()).isEqualTo(2);
        JsonNode step = logs.path("steps").get(1);
        assertThat(step.path("command").asText()).isEqualTo("echo it broke >&2; exit 7");
        assertThat(step.path("output").asText()).isEqualTo("it broke\n");
        assertThat(step.path("exitCode").asInt()).isEqualTo(7);
        assertThat(logs.path("steps")).hasSize(2);
        RawResponse create = api.http().send("POST", "/v1/sandboxes", Map.of("template", name));
        assertThat(create.status()).isEqualTo(409);
        assertThat(create.json().path("error").path("code").asText()).isEqualTo("template_not_ready");
        assertThat(api.http().send("DELETE", "/v1/templates/" + name).status()).isEqualTo(200);
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
            RawResponse answer = api.http().send("POST", "/v1/templates", c[0]);
            assertThat(answer.status()).as(answer.text()).isEqualTo(c[1]);
            assertThat(answer.json().path("error").path("code").asText())
                    .as(answer.text())
                    .isEqualTo(c[2]);
        }
        RawResponse notJson = api.http().send("POST", "/v1/templates", "{not json");
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(api.http().send("GET", "/v1/templates/" + ok).status()).isEqualTo(404);
        assertThat(api.http().send("GET", "/v1/templates/" + ok + "/logs").status())
                .isEqualTo(404);
        assertThat(api.http().send("DELETE", "/v1/templates/base").status()).isEqualTo(404);

        List<String> readOnly = new ArrayList<>(Scopes.ALL);
        readOnly.remove(Scopes.TEMPLATES_WRITE);
        RawResponse key = SystemUnderTest.operator()
                .http()
                .send(
                        "POST",
                        "/v1/keys?tenantId=default",
                        Map.of("name", "no templates:write " + suffix, "scopes", readOnly));
        CrowNest limited = SystemUnderTest.withKey(key.field("key"));
        RawResponse forbidden = limited.http().send("POST", "/v1/templates", Map.of("name", ok, "from", "base"));
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(forbidden.json().path("error").path("code").asText()).isEqualTo("missing_scope");
        assertThat(limited.http().send("GET", "/v1/templates").status()).isEqualTo(200);
    }

    private static void assertOtherTenantSeesNothing(String name) {
        CrowNest otherKey = TwoProjects.keyOfNewTenant("templates-" + suffix);
        assertThat(otherKey.http().send("GET", "/v1/templates/" + name).status())
                .isEqualTo(404);
        assertThat(otherKey.http()
                        .send("GET", "/v1/templates/" + name + "/logs")
                        .status())
                .isEqualTo(404);
        assertThat(otherKey.http().send("DELETE", "/v1/templates/" + name).status())
                .isEqualTo(404);
        assertThat(otherKey.http().send("GET", "/v1/templates").text()).doesNotContain(name);
        RawResponse create = otherKey.http().send("POST", "/v1/sandboxes", Map.of("template", name));
        assertThat(create.json().path("error").path("code").asText()).isEqualTo("unknown_template");
    }

    /** Polls until the template is no longer building (bounded). */
    private static JsonNode awaitBuilt(String name) throws InterruptedException {
        Instant until = Instant.now().plus(BUILD_LIMIT);
        JsonNode view = api.http().send("GET", "/v1/templates/" + name).json();
        while (view.path("status").asText().equals("building") && Instant.now().isBefore(until)) {
            Thread.sleep(500);
            view = api.http().send("GET", "/v1/templates/" + name).json();
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
