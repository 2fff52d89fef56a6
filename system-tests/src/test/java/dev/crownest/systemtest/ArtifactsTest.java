package dev.crownest.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crownest.contracts.security.Scopes;
import java.security.MessageDigest;
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

    private static PlatformClient api;
    private static String sandbox;

    @BeforeAll
    static void sandbox() {
        api = SystemUnderTest.client();
        PlatformClient.Answer created = api.post("/v1/sandboxes", Map.of("template", "base", "ttlMs", 600_000));
        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        sandbox = created.text("id");
    }

    @AfterAll
    static void kill() {
        api.delete("/v1/sandboxes/" + sandbox);
    }

    @Test
    void declaredFilesOfASuccessBecomeArtifactsThatOutliveTheSandbox() throws Exception {
        String box = created(api.post("/v1/sandboxes", Map.of("template", "base", "ttlMs", 600_000)));
        PlatformClient.Answer run = run(
                box,
                "mkdir -p out && head -c 300000 /dev/urandom > out/data.bin && printf 'hello\\n' > report.txt"
                        + " && sha256sum out/data.bin report.txt && wc -c out/data.bin report.txt",
                List.of("out/data.bin", Map.of("path", "/workspace/report.txt", "name", "summary.txt")));
        assertThat(run.status()).as(run.raw()).isEqualTo(200);
        assertThat(run.body().path("exitCode").asInt()).isZero();
        Map<String, String> shaInSandbox = sha256sums(run.text("stdout"));
        JsonNode artifacts = run.body().path("artifacts");
        assertThat(artifacts).as(run.raw()).hasSize(2);
        assertThat(run.body().path("collectErrors")).isEmpty();
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
        assertThat(ids(api.get("/v1/sandboxes/" + box + "/artifacts").body().path("data")))
                .containsExactlyInAnyOrderElementsOf(ids(artifacts));
        assertThat(ids(api.get("/v1/sandboxes/" + box + "/commands/" + run.text("id"))
                        .body()
                        .path("artifacts")))
                .containsExactlyInAnyOrderElementsOf(ids(artifacts));

        Map<String, byte[]> before = new HashMap<>();
        for (JsonNode artifact : artifacts) {
            before.put(artifact.path("id").asText(), downloadChecked(box, artifact));
        }
        assertThat(new String(before.get(summary.path("id").asText()))).isEqualTo("hello\n");

        PlatformClient.Answer killed = api.delete("/v1/sandboxes/" + box);
        assertThat(killed.text("status")).isEqualTo("killed");
        assertThat(ids(api.get("/v1/sandboxes/" + box + "/artifacts").body().path("data")))
                .containsExactlyInAnyOrderElementsOf(ids(artifacts));
        for (JsonNode artifact : artifacts) {
            PlatformClient.Answer metadata = api.get(
                    "/v1/sandboxes/" + box + "/artifacts/" + artifact.path("id").asText());
            assertThat(metadata.status()).isEqualTo(200);
            assertThat(metadata.text("sha256"))
                    .isEqualTo(artifact.path("sha256").asText());
            assertThat(downloadChecked(box, artifact))
                    .as("the same bytes after the kill")
                    .isEqualTo(before.get(artifact.path("id").asText()));
        }
    }

    @Test
    void aFailingCommandCollectsNothing() {
        PlatformClient.Answer run = run(sandbox, "echo made > made.txt; exit 1", List.of("made.txt"));
        assertThat(run.status()).as(run.raw()).isEqualTo(200);
        assertThat(run.body().path("exitCode").asInt()).isEqualTo(1);
        assertThat(run.body().path("artifacts")).isEmpty();
        assertThat(run.body().path("collectErrors")).isEmpty();
        assertThat(api.get("/v1/sandboxes/" + sandbox + "/artifacts?commandId=" + run.text("id"))
                        .body()
                        .path("data"))
                .isEmpty();
    }

    @Test
    void aMissingFileOrADirectoryIsACollectErrorAndTheCommandStillFinishes() {
        PlatformClient.Answer run =
                run(sandbox, "echo here > here.txt && mkdir -p adir", List.of("here.txt", "nothere.txt", "adir"));
        assertThat(run.status()).as(run.raw()).isEqualTo(200);
        assertThat(run.text("status")).isEqualTo("finished");
        assertThat(run.body().path("exitCode").asInt()).isZero();
        assertThat(run.body().path("artifacts")).hasSize(1);
        assertThat(run.body().path("artifacts").get(0).path("path").asText()).isEqualTo("here.txt");
        Map<String, String> errors = new LinkedHashMap<>();
        run.body()
                .path("collectErrors")
                .forEach(e -> errors.put(e.path("path").asText(), e.path("code").asText()));
        assertThat(errors)
                .containsExactlyInAnyOrderEntriesOf(Map.of("nothere.txt", "file_not_found", "adir", "is_a_directory"));
    }

    @Test
    void aStreamedRunCollectsToo() {
        List<PlatformClient.Sse> events = new ArrayList<>();
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("cmd", "echo streamed > s.txt && echo done");
        request.put("collect", List.of("s.txt"));
        assertThat(api.stream(sandbox, request, events::add)).isEqualTo(200);
        assertThat(events.getLast().event()).isEqualTo("exit");
        // the record is written before the exit is announced, artifacts included
        JsonNode commands =
                api.get("/v1/sandboxes/" + sandbox + "/commands?limit=5").body().path("data");
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
            PlatformClient.Answer refused = run(sandbox, "touch /workspace/should-not-exist", List.of(collect));
            assertThat(refused.status()).as(collect + ": " + refused.raw()).isEqualTo(400);
            assertThat(refused.body().path("error").path("code").asText()).startsWith("invalid_collect");
        }
        List<String> tooMany = new ArrayList<>();
        for (int i = 0; i < 21; i++) {
            tooMany.add("f" + i);
        }
        assertThat(run(sandbox, "true", new ArrayList<>(tooMany))
                        .body()
                        .path("error")
                        .path("code")
                        .asText())
                .isEqualTo("too_many_collect_paths");
        assertThat(api.run(sandbox, "ls /workspace").text("stdout")).doesNotContain("should-not-exist");
    }

    @Test
    void anotherTenantFindsNothingAndAKeyWithoutArtifactsReadIsRefused() {
        PlatformClient.Answer run = run(sandbox, "echo secret > mine.txt", List.of("mine.txt"));
        String artifact = run.body().path("artifacts").get(0).path("id").asText();
        String base = "/v1/sandboxes/" + sandbox + "/artifacts";

        PlatformClient operator = SystemUnderTest.operator();
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        JsonNode other = operator.post("/v1/tenants", Map.of("name", "artifacts-" + suffix, "plan", "pro"))
                .body();
        PlatformClient otherAdmin =
                operator.withSession(other.path("adminToken").asText());
        PlatformClient otherKey = otherAdmin.withKey(otherAdmin
                .post("/v1/keys", Map.of("name", "all", "scopes", Scopes.ALL))
                .body()
                .path("key")
                .asText());
        for (String path : List.of(base, base + "/" + artifact, base + "/" + artifact + "/content")) {
            PlatformClient.Answer foreign = otherKey.get(path);
            assertThat(foreign.status()).as(path).isEqualTo(404);
            assertThat(foreign.body().path("error").path("code").asText()).isEqualTo("sandbox_not_found");
            assertThat(foreign.raw()).doesNotContain("secret");
        }

        List<String> withoutArtifacts = new ArrayList<>(Scopes.ALL);
        withoutArtifacts.remove(Scopes.ARTIFACTS_READ);
        PlatformClient.Answer key = operator.post(
                "/v1/keys?tenantId=default", Map.of("name", "no artifacts " + suffix, "scopes", withoutArtifacts));
        assertThat(key.status()).as(key.raw()).isEqualTo(201);
        PlatformClient limited = api.withKey(key.text("key"));
        for (String path : List.of(base, base + "/" + artifact, base + "/" + artifact + "/content")) {
            PlatformClient.Answer refused = limited.get(path);
            assertThat(refused.status()).as(path).isEqualTo(403);
            assertThat(refused.body().path("error").path("code").asText()).isEqualTo("missing_scope");
        }
        assertThat(limited.get("/v1/sandboxes/" + sandbox).status())
                .as("the key itself works")
                .isEqualTo(200);
    }

    /** Downloads an artifact and checks its bytes and headers against its metadata. */
    private static byte[] downloadChecked(String box, JsonNode artifact) throws Exception {
        PlatformClient.Download content = api.download(
                "/v1/sandboxes/" + box + "/artifacts/" + artifact.path("id").asText() + "/content");
        assertThat(content.status()).isEqualTo(200);
        assertThat(content.body()).hasSize(artifact.path("size").asInt());
        assertThat(sha256(content.body())).isEqualTo(artifact.path("sha256").asText());
        assertThat(content.header("etag"))
                .isEqualTo("\"" + artifact.path("sha256").asText() + "\"");
        assertThat(content.header("content-length"))
                .isEqualTo(artifact.path("size").asText());
        assertThat(content.header("content-type"))
                .startsWith(artifact.path("contentType").asText());
        assertThat(content.header("content-disposition"))
                .contains(artifact.path("name").asText());
        return content.body();
    }

    private static PlatformClient.Answer run(String box, String cmd, List<Object> collect) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("cmd", cmd);
        body.put("collect", collect);
        return api.post("/v1/sandboxes/" + box + "/commands", body);
    }

    private static String created(PlatformClient.Answer answer) {
        assertThat(answer.status()).as(answer.raw()).isEqualTo(201);
        return answer.text("id");
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
