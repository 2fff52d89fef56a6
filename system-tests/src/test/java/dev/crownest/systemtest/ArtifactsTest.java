package dev.crownest.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crownest.contracts.security.Scopes;
import dev.crownest.sdk.CreateSandboxOptions;
import dev.crownest.sdk.CrowNest;
import dev.crownest.sdk.RawEvent;
import dev.crownest.sdk.RawResponse;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Artifacts end to end through the public API with real gVisor sandboxes: declared files of a
 * successful command become artifacts (sizes and SHA-256 as the sandbox itself computed them), listed
 * on the command and on the sandbox, downloadable byte for byte after the sandbox was killed; a
 * failing command collects nothing; a missing file is a collect error of a finished command; paths
 * out of /workspace are a 400; another tenant gets 404, a key without {@code artifacts:read} 403.
 */
class ArtifactsTest {

    private static CrowNest api;
    private static String sandbox;

    @BeforeAll
    static void sandbox() {
        api = SystemUnderTest.client();
        sandbox = api.sandboxes()
                .create(new CreateSandboxOptions().template("base").ttl(Duration.ofMillis(600_000)))
                .id();
    }

    @AfterAll
    static void kill() {
        api.http().send("DELETE", "/v1/sandboxes/" + sandbox);
    }

    @Test
    void declaredFilesOfASuccessBecomeArtifactsThatOutliveTheSandbox() throws Exception {
        String box = created(api.http().send("POST", "/v1/sandboxes", Map.of("template", "base", "ttlMs", 600_000)));
        RawResponse run = run(
                box,
                "mkdir -p out && head -c 300000 /dev/urandom > out/data.bin && printf 'hello\\n' > report.txt"
                        + " && sha256sum out/data.bin report.txt && wc -c out/data.bin report.txt",
                List.of("out/data.bin", Map.of("path", "/workspace/report.txt", "name", "summary.txt")));
        assertThat(run.status()).as(run.text()).isEqualTo(200);
        assertThat(run.json().path("exitCode").asInt()).isZero();
        Map<String, String> shaInSandbox = sha256sums(run.field("stdout"));
        JsonNode artifacts = run.json().path("artifacts");
        assertThat(artifacts).as(run.text()).hasSize(2);
        assertThat(run.json().path("collectErrors")).isEmpty();
        JsonNode data =
                artifacts.get(0).path("path").asText().equals("out/data.bin") ? artifacts.get(0) : artifacts.get(1);
        JsonNode summary = data == artifacts.get(0) ? artifacts.get(1) : artifacts.get(0);
        assertThat(data.path("size").asLong()).isEqualTo(300_000);
        assertThat(data.path("sha256").asText()).isEqualTo(shaInSandbox.get("out/data.bin"));
        assertThat(data.path("name").asText()).isEqualTo("data.bin");
        assertThat(data.path("contentType").asText()).isEqualTo("application/octet-stream");
        assertThat(summary.path("path").asText()).isEqualTo("report.txt");
        assertThat(summary.path("name").asText()).isEqualTo("summary.txt");
        assertThat(summary.path("size").asLong()).isEqualTo(6);
        assertThat(summary.path("sha256").asText()).isEqualTo(shaInSandbox.get("report.txt"));
        assertThat(summary.path("contentType").asText()).isEqualTo("text/plain");

        // the same on the sandbox's list and the command's record
        assertThat(ids(api.http()
                        .send("GET", "/v1/sandboxes/" + box + "/artifacts")
                        .json()
                        .path("data")))
                .containsExactlyInAnyOrderElementsOf(ids(artifacts));
        assertThat(ids(api.http()
                        .send("GET", "/v1/sandboxes/" + box + "/commands/" + run.field("id"))
                        .json()
                        .path("artifacts")))
                .containsExactlyInAnyOrderElementsOf(ids(artifacts));

        Map<String, byte[]> before = new HashMap<>();
        for (JsonNode artifact : artifacts) {
            before.put(artifact.path("id").asText(), downloadChecked(box, artifact));
        }
        assertThat(new String(before.get(summary.path("id").asText()))).isEqualTo("hello\n");

        RawResponse killed = api.http().send("DELETE", "/v1/sandboxes/" + box);
        assertThat(killed.field("status")).isEqualTo("killed");
        assertThat(ids(api.http()
                        .send("GET", "/v1/sandboxes/" + box + "/artifacts")
                        .json()
                        .path("data")))
                .containsExactlyInAnyOrderElementsOf(ids(artifacts));
        for (JsonNode artifact : artifacts) {
            RawResponse metadata = api.http()
                    .send(
                            "GET",
                            "/v1/sandboxes/" + box + "/artifacts/"
                                    + artifact.path("id").asText());
            assertThat(metadata.status()).isEqualTo(200);
            assertThat(metadata.field("sha256"))
                    .isEqualTo(artifact.path("sha256").asText());
            assertThat(downloadChecked(box, artifact))
                    .as("the same bytes after the kill")
                    .isEqualTo(before.get(artifact.path("id").asText()));
        }
    }

    @Test
    void aFailingCommandCollectsNothing() {
        RawResponse run = run(sandbox, "echo made > made.txt; exit 1", List.of("made.txt"));
        assertThat(run.status()).as(run.text()).isEqualTo(200);
        assertThat(run.json().path("exitCode").asInt()).isEqualTo(1);
        assertThat(run.json().path("artifacts")).isEmpty();
        assertThat(run.json().path("collectErrors")).isEmpty();
        assertThat(api.http()
                        .send("GET", "/v1/sandboxes/" + sandbox + "/artifacts?commandId=" + run.field("id"))
                        .json()
                        .path("data"))
                .isEmpty();
    }

    @Test
    void aMissingFileOrADirectoryIsACollectErrorAndTheCommandStillFinishes() {
        RawResponse run =
                run(sandbox, "echo here > here.txt && mkdir -p adir", List.of("here.txt", "nothere.txt", "adir"));
        assertThat(run.status()).as(run.text()).isEqualTo(200);
        assertThat(run.field("status")).isEqualTo("finished");
        assertThat(run.json().path("exitCode").asInt()).isZero();
        assertThat(run.json().path("artifacts")).hasSize(1);
        assertThat(run.json().path("artifacts").get(0).path("path").asText()).isEqualTo("here.txt");
        Map<String, String> errors = new LinkedHashMap<>();
        run.json()
                .path("collectErrors")
                .forEach(e -> errors.put(e.path("path").asText(), e.path("code").asText()));
        assertThat(errors)
                .containsExactlyInAnyOrderEntriesOf(Map.of("nothere.txt", "file_not_found", "adir", "is_a_directory"));
    }

    @Test
    void aStreamedRunCollectsToo() {
        List<RawEvent> events = new ArrayList<>();
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("cmd", "echo streamed > s.txt && echo done");
        request.put("collect", List.of("s.txt"));
        assertThat(CommandEvents.run(api, sandbox, request, events::add)).isEqualTo(200);
        assertThat(events.getLast().event()).isEqualTo("exit");
        // the record is written before the exit is announced, artifacts included
        JsonNode commands = api.http()
                .send("GET", "/v1/sandboxes/" + sandbox + "/commands?limit=5")
                .json()
                .path("data");
        JsonNode streamed = null;
        for (JsonNode command : commands) {
            if (command.path("cmd").asText().startsWith("echo streamed")) {
                streamed = command;
            }
        }
        assertThat(streamed).as(commands.toString()).isNotNull();
        assertThat(streamed.path("artifacts")).hasSize(1);
        assertThat(streamed.path("artifacts").get(0).path("size").asLong()).isEqualTo(9);
    }

    @Test
    void collectPathsOutsideTheWorkspaceAreRefusedBeforeAnythingRuns() {
        for (Object collect :
                List.of("../x", "/etc/passwd", "a/../../etc/shadow", Map.of("path", "ok.txt", "name", "../x"))) {
            RawResponse refused = run(sandbox, "touch /workspace/should-not-exist", List.of(collect));
            assertThat(refused.status()).as(collect + ": " + refused.text()).isEqualTo(400);
            assertThat(refused.json().path("error").path("code").asText()).startsWith("invalid_collect");
        }
        List<String> tooMany = new ArrayList<>();
        for (int i = 0; i < 21; i++) {
            tooMany.add("f" + i);
        }
        assertThat(run(sandbox, "true", new ArrayList<>(tooMany))
                        .json()
                        .path("error")
                        .path("code")
                        .asText())
                .isEqualTo("too_many_collect_paths");
        assertThat(api.sandboxes().get(sandbox).commands().run("ls /workspace").stdout())
                .doesNotContain("should-not-exist");
    }

    @Test
    void anotherTenantFindsNothingAndAKeyWithoutArtifactsReadIsRefused() {
        RawResponse run = run(sandbox, "echo secret > mine.txt", List.of("mine.txt"));
        String artifact = run.json().path("artifacts").get(0).path("id").asText();
        String base = "/v1/sandboxes/" + sandbox + "/artifacts";

        String suffix = UUID.randomUUID().toString().substring(0, 8);
        CrowNest otherKey = TwoProjects.keyOfNewTenant("artifacts-" + suffix);
        for (String path : List.of(base, base + "/" + artifact, base + "/" + artifact + "/content")) {
            RawResponse foreign = otherKey.http().send("GET", path);
            assertThat(foreign.status()).as(path).isEqualTo(404);
            assertThat(foreign.json().path("error").path("code").asText()).isEqualTo("sandbox_not_found");
            assertThat(foreign.text()).doesNotContain("secret");
        }

        List<String> withoutArtifacts = new ArrayList<>(Scopes.ALL);
        withoutArtifacts.remove(Scopes.ARTIFACTS_READ);
        RawResponse key = SystemUnderTest.operator()
                .http()
                .send(
                        "POST",
                        "/v1/keys?tenantId=default",
                        Map.of("name", "no artifacts " + suffix, "scopes", withoutArtifacts));
        assertThat(key.status()).as(key.text()).isEqualTo(201);
        CrowNest limited = SystemUnderTest.withKey(key.field("key"));
        for (String path : List.of(base, base + "/" + artifact, base + "/" + artifact + "/content")) {
            RawResponse refused = limited.http().send("GET", path);
            assertThat(refused.status()).as(path).isEqualTo(403);
            assertThat(refused.json().path("error").path("code").asText()).isEqualTo("missing_scope");
        }
        assertThat(limited.http().send("GET", "/v1/sandboxes/" + sandbox).status())
                .as("the key itself works")
                .isEqualTo(200);
    }

    /** Downloads an artifact and checks its bytes and headers against its metadata. */
    private static byte[] downloadChecked(String box, JsonNode artifact) throws Exception {
        RawResponse content = api.http()
                .send(
                        "GET",
                        "/v1/sandboxes/" + box + "/artifacts/"
                                + artifact.path("id").asText() + "/content");
        assertThat(content.status()).isEqualTo(200);
        assertThat(content.bytes()).hasSize(artifact.path("size").asInt());
        assertThat(sha256(content.bytes())).isEqualTo(artifact.path("sha256").asText());
        assertThat(content.header("etag"))
                .isEqualTo("\"" + artifact.path("sha256").asText() + "\"");
        assertThat(content.header("content-length"))
                .isEqualTo(artifact.path("size").asText());
        assertThat(content.header("content-type"))
                .startsWith(artifact.path("contentType").asText());
        assertThat(content.header("content-disposition"))
                .contains(artifact.path("name").asText());
        return content.bytes();
    }

    private static RawResponse run(String box, String cmd, List<Object> collect) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("cmd", cmd);
        body.put("collect", collect);
        return api.http().send("POST", "/v1/sandboxes/" + box + "/commands", body);
    }

    private static String created(RawResponse answer) {
        assertThat(answer.status()).as(answer.text()).isEqualTo(201);
        return answer.field("id");
    }

    private static List<String> ids(JsonNode list) {
        List<String> ids = new ArrayList<>();
        list.forEach(node -> ids.add(node.path("id").asText()));
        return ids;
    }

    /** {@code sha256sum} output: path to digest. */
    private static Map<String, String> sha256sums(String stdout) {
        Map<String, String> sums = new HashMap<>();
        for (String line : stdout.split("\n")) {
            String[] parts = line.trim().split("\\s+");
            if (parts.length == 2 && parts[0].matches("[0-9a-f]{64}")) {
                sums.put(parts[1], parts[0]);
            }
        }
        return sums;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
