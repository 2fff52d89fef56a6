package dev.crownest.node;

import static dev.crownest.node.NodeAgentClient.json;
import static dev.crownest.node.NodeAgentClient.q;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crownest.testing.IntegrationTest;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The files API on a real sandbox's /workspace, and every way out of it refused. */
@IntegrationTest
class WorkspaceFilesIntegrationTest {
    static final Path STATE = TestSandboxes.stateDir("node-files");

    @DynamicPropertySource
    static void node(DynamicPropertyRegistry registry) {
        TestSandboxes.register(registry, STATE);
    }

    @LocalServerPort
    int port;

    @AfterAll
    static void removeState() throws Exception {
        TestSandboxes.remove(STATE);
    }

    private String files(String id, String op, String path) {
        return "/node/v1/sandboxes/" + id + "/files" + op + "?path=" + q(path);
    }

    @Test
    void writeReadListMoveDeleteAndSeenInside() throws Exception {
        try (var sandbox = TestSandboxes.start(port, "base", 1, 256, 64)) {
            NodeAgentClient client = sandbox.client();
            String id = sandbox.id();
            byte[] content = new byte[3 * 1024 * 1024 + 17];
            new Random(7).nextBytes(content);
            HttpResponse<String> put =
                    client.send("PUT", files(id, "", "data/blob.bin"), HttpRequest.BodyPublishers.ofByteArray(content));
            assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
            assertThat(json(put.body()).path("size").asLong()).isEqualTo(content.length);

            HttpResponse<byte[]> got = client.getBytes(files(id, "", "/workspace/data/blob.bin"));
            assertThat(got.statusCode()).isEqualTo(200);
            assertThat(got.body()).isEqualTo(content);
            assertThat(sandbox.exec("md5sum < /workspace/data/blob.bin | cut -c1-32", 10_000)
                            .stdout()
                            .strip())
                    .isEqualTo(md5(content));

            assertThat(sandbox.exec("echo hi > /workspace/data/made-inside.txt", 10_000)
                            .exitCode())
                    .isZero();
            assertThat(new String(client.getBytes(files(id, "", "data/made-inside.txt"))
                            .body()))
                    .isEqualTo("hi\n");

            assertThat(client.post(files(id, "/mkdir", "a/b/c"), "").statusCode())
                    .isEqualTo(201);
            assertThat(client.post(files(id, "/mkdir", "a/b/c"), "").statusCode())
                    .isEqualTo(201); // idempotent
            HttpResponse<String> moved = client.post(
                    "/node/v1/sandboxes/" + id + "/files/move?from=" + q("data/blob.bin") + "&to="
                            + q("/workspace/a/b/c/blob.bin"),
                    "");
            assertThat(moved.statusCode()).as(moved.body()).isEqualTo(200);

            JsonNode list = json(
                    client.getBytes(files(id, "/list", "a/b/c")).body() == null
                            ? "{}"
                            : new String(
                                    client.getBytes(files(id, "/list", "a/b/c")).body()));
            assertThat(list.path("entries")).hasSize(1);
            assertThat(list.path("entries").get(0).path("name").asText()).isEqualTo("blob.bin");
            assertThat(list.path("entries").get(0).path("type").asText()).isEqualTo("file");
            assertThat(list.path("entries").get(0).path("size").asLong()).isEqualTo(content.length);
            JsonNode root = json(
                    new String(client.getBytes(files(id, "/list", "/workspace")).body()));
            assertThat(root.path("entries").findValuesAsText("name")).containsExactly("a", "data");

            assertThat(client.send("DELETE", files(id, "", "a"), HttpRequest.BodyPublishers.noBody())
                            .statusCode())
                    .isEqualTo(204);
            // (find, not ls: coreutils' statx answers EINVAL under this runsc)
            assertThat(sandbox.exec("find /workspace -mindepth 1 -maxdepth 1 -printf '%f\\n'", 10_000)
                            .stdout())
                    .isEqualTo("data\n");
            HttpResponse<String> missing =
                    client.send("GET", files(id, "", "a/b/c/blob.bin"), HttpRequest.BodyPublishers.noBody());
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(json(missing.body()).path("error").path("code").asText()).isEqualTo("file_not_found");
        }
    }

    @Test
    void pathsOutOfTheWorkspaceAreRefused() throws Exception {
        String secret = UUID.randomUUID().toString();
        Path hostFile = Files.createTempFile("crownest-host", ".txt");
        Files.writeString(hostFile, secret);
        Path hostDir = Files.createTempDirectory("crownest-host-dir");
        try (var sandbox = TestSandboxes.start(port, "base", 1, 256, 64)) {
            NodeAgentClient client = sandbox.client();
            String id = sandbox.id();
            // Symlinks planted inside the sandbox, pointing at the host's files and directories by their host paths.
            assertThat(sandbox.exec(
                                    "ln -s " + hostFile + " /workspace/link; ln -s " + hostDir + " /workspace/dirlink; "
                                            + "ln -s /etc /workspace/etc; mkdir /workspace/real",
                                    10_000)
                            .exitCode())
                    .isZero();

            for (String path : new String[] {
                "../x",
                "/etc/passwd",
                "/workspace/../etc/passwd",
                "a/../../x",
                "/workspacefoo",
                "link",
                "/workspace/link",
                "dirlink/x",
                "etc/passwd",
                "real/../link"
            }) {
                HttpResponse<String> res = client.send("GET", files(id, "", path), HttpRequest.BodyPublishers.noBody());
                assertThat(res.statusCode()).as(path + ": " + res.body()).isEqualTo(400);
                assertThat(json(res.body()).path("error").path("code").asText())
                        .as(path)
                        .isEqualTo("path_outside_workspace");
                assertThat(res.body()).doesNotContain(secret);
            }
            HttpResponse<String> write =
                    client.send("PUT", files(id, "", "dirlink/planted"), HttpRequest.BodyPublishers.ofString("x"));
            assertThat(write.statusCode()).isEqualTo(400);
            HttpResponse<String> overwrite =
                    client.send("PUT", files(id, "", "link"), HttpRequest.BodyPublishers.ofString("x"));
            assertThat(overwrite.statusCode()).isEqualTo(400);
            assertThat(client.getBytes(files(id, "/list", "dirlink")).statusCode())
                    .isEqualTo(400);
            assertThat(client.post(files(id, "/mkdir", "dirlink/sub"), "").statusCode())
                    .isEqualTo(400);
            assertThat(client.post("/node/v1/sandboxes/" + id + "/files/move?from=real&to=" + q("dirlink/real"), "")
                            .statusCode())
                    .isEqualTo(400);
            assertThat(client.post("/node/v1/sandboxes/" + id + "/files/move?from=real&to=" + q("../real"), "")
                            .statusCode())
                    .isEqualTo(400);
            assertThat(client.send("DELETE", files(id, "", "dirlink/x"), HttpRequest.BodyPublishers.noBody())
                            .statusCode())
                    .isEqualTo(400);
            assertThat(Files.readString(hostFile)).isEqualTo(secret);
            try (var stream = Files.list(hostDir)) {
                assertThat(stream.toList()).isEmpty();
            }
            // listing shows the links as links, without following them
            JsonNode root =
                    json(new String(client.getBytes(files(id, "/list", "")).body()));
            assertThat(root.path("entries").findValuesAsText("type"))
                    .containsExactly("symlink", "symlink", "symlink", "directory");
            // deleting a link removes the link only
            assertThat(client.send("DELETE", files(id, "", "link"), HttpRequest.BodyPublishers.noBody())
                            .statusCode())
                    .isEqualTo(204);
            assertThat(Files.readString(hostFile)).isEqualTo(secret);
        } finally {
            Files.deleteIfExists(hostFile);
            Files.deleteIfExists(hostDir);
        }
    }

    @Test
    void aWriteBeyondTheDiskSizeIs507AndLeavesNothing() throws Exception {
        try (var sandbox = TestSandboxes.start(port, "base", 1, 256, 16)) {
            NodeAgentClient client = sandbox.client();
            byte[] big = new byte[40 * 1024 * 1024];
            HttpResponse<String> res =
                    client.send("PUT", files(sandbox.id(), "", "big.bin"), HttpRequest.BodyPublishers.ofByteArray(big));
            assertThat(res.statusCode()).as(res.body()).isEqualTo(507);
            assertThat(json(res.body()).path("error").path("code").asText()).isEqualTo("workspace_full");
            assertThat(json(new String(client.getBytes(files(sandbox.id(), "/list", ""))
                                    .body()))
                            .path("entries"))
                    .isEmpty();
            assertThat(client.send(
                                    "PUT",
                                    files(sandbox.id(), "", "small.txt"),
                                    HttpRequest.BodyPublishers.ofString("ok"))
                            .statusCode())
                    .isEqualTo(200);
        }
    }

    private static String md5(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
    }
}
