package dev.crownest.systemtest;

import static dev.crownest.systemtest.FilesClient.param;
import static dev.crownest.systemtest.FilesClient.randomFile;
import static dev.crownest.systemtest.FilesClient.route;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crownest.contracts.security.Scopes;
import dev.crownest.sdk.CreateSandboxOptions;
import dev.crownest.sdk.CrowNest;
import dev.crownest.sdk.RawResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The public files API end to end, against the real stack and a real gVisor sandbox: a round trip of
 * write, read, list, mkdir, move and delete (contents checked from inside the sandbox too), multipart
 * uploads, staged signed URLs (100 MB up and down with equal SHA-256), and every bad input: path
 * escapes (lexical and through a symlink the sandbox planted), another tenant's sandbox, expired,
 * tampered and revoked-key signed URLs, a wrong method, an oversized body, a paused sandbox.
 */
class FilesApiTest {

    private static CrowNest api;
    private static FilesClient files;
    private static String sandbox;

    @BeforeAll
    static void aRunningSandbox() {
        api = SystemUnderTest.client();
        files = FilesClient.of(api);
        sandbox = api.sandboxes()
                .create(new CreateSandboxOptions().template("base").ttl(Duration.ofMillis(900_000)))
                .id();
    }

    @AfterAll
    static void killIt() {
        if (sandbox != null) {
            api.http().send("DELETE", "/v1/sandboxes/" + sandbox);
        }
    }

    @Test
    void writeReadListMkdirMoveDeleteRoundTrip() {
        byte[] content = new byte[70_000];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) i; // every byte value, NULs included
        }
        String name = "my dir/a&b+c %41.bin";
        RawResponse written = files.put(sandbox, name, content);
        assertThat(written.status()).as(written.text()).isEqualTo(200);
        assertThat(written.field("path")).isEqualTo("/workspace/" + name);
        assertThat(written.json().path("size").asLong()).isEqualTo(content.length);
        assertThat(files.bytes(route(sandbox, "", param("path", "/workspace/" + name)), true))
                .isEqualTo(content);

        // the sandbox sees the same bytes
        RawResponse sum = api.http()
                .send(
                        "POST",
                        "/v1/sandboxes/" + sandbox + "/commands",
                        Map.of("cmd", "sha256sum '/workspace/" + name + "'"));
        assertThat(sum.field("stdout")).startsWith(FilesClient.sha256(content));

        RawResponse made = api.http().send("POST", route(sandbox, "/mkdir", param("path", "d/e")), null);
        assertThat(made.status()).as(made.text()).isEqualTo(201);
        assertThat(made.field("path")).isEqualTo("/workspace/d/e");

        RawResponse listed = api.http().send("GET", route(sandbox, "/list", null));
        assertThat(listed.status()).as(listed.text()).isEqualTo(200);
        assertThat(names(listed)).contains("my dir", "d");
        RawResponse inner = api.http().send("GET", route(sandbox, "/list", param("path", "my dir")));
        assertThat(inner.json().path("entries").get(0).path("size").asLong()).isEqualTo(content.length);
        assertThat(inner.json().path("entries").get(0).path("type").asText()).isEqualTo("file");

        RawResponse moved = api.http()
                .send("POST", route(sandbox, "/move", param("from", name) + "&" + param("to", "d/e/moved.bin")), null);
        assertThat(moved.status()).as(moved.text()).isEqualTo(200);
        assertThat(moved.field("to")).isEqualTo("/workspace/d/e/moved.bin");
        assertError(api.http().send("GET", route(sandbox, "", param("path", name))), 404, "file_not_found");
        assertThat(files.bytes(route(sandbox, "", param("path", "d/e/moved.bin")), true))
                .isEqualTo(content);
        files.put(sandbox, "d/other.txt", "x".getBytes(StandardCharsets.UTF_8));
        assertError(
                api.http()
                        .send(
                                "POST",
                                route(
                                        sandbox,
                                        "/move",
                                        param("from", "d/other.txt") + "&" + param("to", "d/e/moved.bin")),
                                null),
                409,
                "file_exists");

        RawResponse deleted = api.http().send("DELETE", route(sandbox, "", param("path", "d")));
        assertThat(deleted.status()).as(deleted.text()).isEqualTo(204);
        assertThat(names(api.http().send("GET", route(sandbox, "/list", null)))).doesNotContain("d");
        assertThat(api.sandboxes()
                        .get(sandbox)
                        .commands()
                        .run("test -e /workspace/d && echo yes || echo gone")
                        .stdout())
                .isEqualTo("gone\n");

        // an upload with an Idempotency-Key bigger than any JSON body: streamed, not held for a fingerprint
        byte[] twoMb = new byte[2_000_000];
        new Random(7).nextBytes(twoMb);
        RawResponse keyed = files.send(
                "PUT",
                route(sandbox, "", param("path", "keyed.bin")),
                true,
                twoMb,
                "Idempotency-Key",
                "files-" + UUID.randomUUID());
        assertThat(keyed.status()).as(keyed.text()).isEqualTo(200);
        assertThat(FilesClient.sha256(files.bytes(route(sandbox, "", param("path", "keyed.bin")), true)))
                .isEqualTo(FilesClient.sha256(twoMb));

        // every change is in the audit log with the key that made it (reads are not); never the content
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            List<JsonNode> changes = new ArrayList<>();
            api.http()
                    .send("GET", "/v1/audit/events?resourceId=" + sandbox + "&limit=200")
                    .json()
                    .path("data")
                    .forEach(e -> {
                        if (e.path("action").asText().startsWith("file.")) {
                            changes.add(e);
                        }
                    });
            assertThat(changes)
                    .extracting(e -> e.path("action").asText())
                    .contains("file.written", "file.mkdir", "file.moved", "file.deleted");
            assertThat(changes)
                    .allSatisfy(e -> assertThat(e.path("actor").asText()).startsWith("key_"));
            assertThat(changes)
                    .anySatisfy(e -> assertThat(e.path("payload").path("toPath").asText())
                            .isEqualTo("/workspace/d/e/moved.bin"));
        });
    }

    @Test
    void multipartUploadsWriteTheFilePart() {
        byte[] content = "hello from a form\n".repeat(1000).getBytes(StandardCharsets.UTF_8);
        for (String method : List.of("PUT", "POST")) {
            RawResponse up = files.multipart(
                    method,
                    route(sandbox, "", param("path", "form/" + method + ".txt")),
                    true,
                    "file",
                    "local.txt",
                    content);
            assertThat(up.status()).as(up.text()).isEqualTo(200);
            assertThat(up.json().path("size").asLong()).isEqualTo(content.length);
            assertThat(files.bytes(route(sandbox, "", param("path", "form/" + method + ".txt")), true))
                    .isEqualTo(content);
        }
        assertError(
                files.multipart(
                        "PUT", route(sandbox, "", param("path", "form/none.txt")), true, "attachment", "x", content),
                400,
                "missing_file_part");
    }

    @Test
    void pathsOutsideTheWorkspaceAre400() {
        for (String escape : List.of("../etc/passwd", "/etc/passwd", "/workspace/../etc/shadow", "a/../../root")) {
            assertError(
                    api.http().send("GET", route(sandbox, "", param("path", escape))), 400, "path_outside_workspace");
            assertError(files.put(sandbox, escape, new byte[] {1}), 400, "path_outside_workspace");
            assertError(
                    api.http().send("GET", route(sandbox, "/list", param("path", escape))),
                    400,
                    "path_outside_workspace");
            assertError(
                    api.http().send("POST", route(sandbox, "/download-url", null), Map.of("path", escape)),
                    400,
                    "path_outside_workspace");
        }
        assertError(
                api.http()
                        .send("POST", route(sandbox, "/move", param("from", "x") + "&" + param("to", "/tmp/x")), null),
                400,
                "path_outside_workspace");
        assertError(api.http().send("GET", route(sandbox, "", null)), 400, "invalid_path");
        // a symlink the sandbox plants is refused by the node agent, which walks the names without following links
        assertThat(api.sandboxes()
                        .get(sandbox)
                        .commands()
                        .run("ln -sfn /etc /workspace/etc-link && echo ok")
                        .stdout())
                .isEqualTo("ok\n");
        assertError(
                api.http().send("GET", route(sandbox, "", param("path", "etc-link/passwd"))),
                400,
                "path_outside_workspace");
        assertError(files.put(sandbox, "etc-link/evil", new byte[] {1}), 400, "path_outside_workspace");
    }

    @Test
    void anotherTenantsSandboxIsNotFoundAndSignedUrlsDieWithTheirKey() {
        CrowNest operator = SystemUnderTest.operator();
        RawResponse tenant = operator.http()
                .send(
                        "POST",
                        "/v1/tenants",
                        Map.of("name", "files-" + UUID.randomUUID().toString().substring(0, 8), "plan", "pro"));
        assertThat(tenant.status()).as(tenant.text()).isEqualTo(201);
        CrowNest admin = SystemUnderTest.withSession(tenant.field("adminToken"));
        RawResponse key = admin.http().send("POST", "/v1/keys", Map.of("name", "files", "scopes", Scopes.ALL));
        assertThat(key.status()).as(key.text()).isEqualTo(201);
        CrowNest other = SystemUnderTest.withKey(key.field("key"));
        RawResponse spare = admin.http()
                .send("POST", "/v1/keys", Map.of("name", "cleanup", "scopes", List.of(Scopes.SANDBOXES_KILL)));
        assertThat(spare.status()).as(spare.text()).isEqualTo(201);
        FilesClient otherFiles = FilesClient.of(other);

        // tenant B cannot see A's sandbox, whatever the route
        assertError(other.http().send("GET", route(sandbox, "", param("path", "x"))), 404, "sandbox_not_found");
        assertError(otherFiles.put(sandbox, "x", new byte[] {1}), 404, "sandbox_not_found");
        assertError(other.http().send("GET", route(sandbox, "/list", null)), 404, "sandbox_not_found");
        assertError(
                other.http().send("POST", route(sandbox, "/upload-url", null), Map.of("path", "x")),
                404,
                "sandbox_not_found");
        assertError(
                other.http().send("POST", route(sandbox, "/download-url", null), Map.of("path", "x")),
                404,
                "sandbox_not_found");

        // B's own sandbox, file and download URL; revoking B's key stops the URL within a second
        String ofB = other.sandboxes()
                .create(new CreateSandboxOptions().template("base").ttl(Duration.ofMillis(300_000)))
                .id();
        try {
            assertThat(otherFiles
                            .put(ofB, "b.txt", "of B".getBytes(StandardCharsets.UTF_8))
                            .status())
                    .isEqualTo(200);
            assertError(api.http().send("GET", route(ofB, "", param("path", "b.txt"))), 404, "sandbox_not_found");
            String url = signed(other, ofB, "/download-url", "b.txt", null).field("url");
            assertThat(files.bytes(url, false)).isEqualTo("of B".getBytes(StandardCharsets.UTF_8));
            // the URL names its tenant: pointing it at A's tenant breaks the signature
            String tenantOfB = URI.create(url).getQuery().replaceAll(".*tenant=([^&]*).*", "$1");
            assertError(
                    files.send("GET", url.replace("tenant=" + tenantOfB, "tenant=default"), false, null),
                    403,
                    "signed_url_invalid");
            assertThat(admin.http()
                            .send("DELETE", "/v1/keys/" + key.field("id"))
                            .status())
                    .isEqualTo(200);
            await().atMost(Duration.ofSeconds(1))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> files.send("GET", url, false, null).status() == 403);
            assertError(files.send("GET", url, false, null), 403, "signed_url_invalid");
        } finally {
            SystemUnderTest.withKey(spare.field("key")).http().send("DELETE", "/v1/sandboxes/" + ofB);
        }
    }

    @Test
    void signedUrlsExpireAndRefuseTamperingAndTheWrongMethod() throws Exception {
        assertThat(files.put(sandbox, "signed/one.txt", "one".getBytes(StandardCharsets.UTF_8))
                        .status())
                .isEqualTo(200);
        assertThat(files.put(sandbox, "signed/two.txt", "two".getBytes(StandardCharsets.UTF_8))
                        .status())
                .isEqualTo(200);
        RawResponse made = signed(api, sandbox, "/download-url", "signed/one.txt", null);
        assertThat(made.field("method")).isEqualTo("GET");
        assertThat(made.field("path")).isEqualTo("/workspace/signed/one.txt");
        assertThat(Instant.parse(made.field("expiresAt")))
                .isBetween(Instant.now().plusSeconds(290), Instant.now().plusSeconds(302));
        String url = made.field("url");
        assertThat(url).startsWith(api.baseUrl() + "/v1/signed/files?").doesNotContain(SystemUnderTest.apiKey());
        assertThat(files.bytes(url, false)).isEqualTo("one".getBytes(StandardCharsets.UTF_8));

        // tampered: another path, another sandbox, another operation, a longer expiry, a changed signature, no
        // signature
        String exp = URI.create(url).getQuery().replaceAll(".*exp=([0-9]+).*", "$1");
        for (String tampered : List.of(
                url.replace("one.txt", "two.txt"),
                url.replace(sandbox, "sbx_someoneelse00000000"),
                url.replace("op=read", "op=write"),
                url.replace("exp=" + exp, "exp=" + (Long.parseLong(exp) + 3600)),
                url.replaceAll("sig=.", "sig=" + (url.matches(".*sig=A.*") ? "B" : "A")),
                url.replaceAll("&sig=[^&]*", ""))) {
            assertThat(tampered).isNotEqualTo(url);
            assertError(files.send("GET", tampered, false, null), 403, "signed_url_invalid");
        }
        // a read URL does not write, a write URL does not read
        assertError(
                files.send("PUT", url, false, "overwritten".getBytes(StandardCharsets.UTF_8)),
                405,
                "method_not_allowed");
        String upload =
                signed(api, sandbox, "/upload-url", "signed/up.txt", null).field("url");
        assertError(files.send("GET", upload, false, null), 405, "method_not_allowed");
        RawResponse up = files.send("PUT", upload, false, "uploaded".getBytes(StandardCharsets.UTF_8));
        assertThat(up.status()).as(up.text()).isEqualTo(200);
        assertThat(files.bytes(route(sandbox, "", param("path", "signed/up.txt")), true))
                .isEqualTo("uploaded".getBytes(StandardCharsets.UTF_8));
        RawResponse form =
                files.multipart("PUT", upload, false, "file", "up.txt", "by form".getBytes(StandardCharsets.UTF_8));
        assertThat(form.status()).as(form.text()).isEqualTo(200);

        // bad expiries, and expiry itself
        assertError(
                api.http()
                        .send(
                                "POST",
                                route(sandbox, "/download-url", null),
                                Map.of("path", "signed/one.txt", "expiresInSeconds", 0)),
                400,
                "invalid_expiry");
        assertError(
                api.http()
                        .send(
                                "POST",
                                route(sandbox, "/download-url", null),
                                Map.of("path", "signed/one.txt", "expiresInSeconds", 3601)),
                400,
                "invalid_expiry");
        RawResponse brief = signed(api, sandbox, "/download-url", "signed/one.txt", 1L);
        Instant expiresAt = Instant.parse(brief.field("expiresAt"));
        assertThat(files.send("GET", brief.field("url"), false, null).status()).isIn(200, 403); // may already be past
        Thread.sleep(Math.max(0, Duration.between(Instant.now(), expiresAt).toMillis()) + 200);
        assertError(files.send("GET", brief.field("url"), false, null), 403, "signed_url_expired");
        assertError(files.send("GET", api.baseUrl() + "/v1/signed/files", false, null), 403, "signed_url_invalid");
    }

    @Test
    void anOversizedBodyIs413() throws IOException {
        // declared above the cap (1 GiB by default): refused before a byte of the body is read
        URI base = URI.create(api.baseUrl());
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("PUT " + route(sandbox, "", param("path", "huge.bin")) + " HTTP/1.1\r\nHost: "
                            + base.getAuthority()
                            + "\r\nx-api-key: " + SystemUnderTest.apiKey()
                            + "\r\nContent-Type: application/octet-stream\r\nContent-Length: "
                            + (8L << 30) + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[65536]);
            out.flush();
            String answer = readAnswer(socket.getInputStream());
            assertThat(answer)
                    .startsWith("HTTP/1.1 413")
                    .contains("\"code\":\"payload_too_large\"")
                    .contains("\"requestId\":\"req_");
        }
        assertError(api.http().send("GET", route(sandbox, "", param("path", "huge.bin"))), 404, "file_not_found");
    }

    @Test
    void aPausedSandboxKeepsItsFilesButRefusesFileCalls() {
        String id = api.sandboxes()
                .create(new CreateSandboxOptions().template("base").ttl(Duration.ofMillis(300_000)))
                .id();
        try {
            assertThat(files.put(id, "kept.txt", "kept".getBytes(StandardCharsets.UTF_8))
                            .status())
                    .isEqualTo(200);
            assertThat(api.http()
                            .send("POST", "/v1/sandboxes/" + id + "/pause", Map.of())
                            .field("status"))
                    .isEqualTo("paused");
            assertError(api.http().send("GET", route(id, "", param("path", "kept.txt"))), 409, "sandbox_paused");
            assertError(files.put(id, "new.txt", new byte[] {1}), 409, "sandbox_paused");
            assertThat(api.http()
                            .send("POST", "/v1/sandboxes/" + id + "/resume", Map.of())
                            .field("status"))
                    .isEqualTo("running");
            assertThat(files.bytes(route(id, "", param("path", "kept.txt")), true))
                    .isEqualTo("kept".getBytes(StandardCharsets.UTF_8));
        } finally {
            api.http().send("DELETE", "/v1/sandboxes/" + id);
        }
        assertError(api.http().send("GET", route(id, "", param("path", "kept.txt"))), 409, "sandbox_not_running");
    }

    @Test
    void a100MegabyteFileGoesUpAndDownThroughSignedUrls() throws Exception {
        Path local = Files.createTempFile("crownest-files-", ".bin");
        try {
            String sha = randomFile(local, 100_000_000L);
            String upload =
                    signed(api, sandbox, "/upload-url", "big/100mb.bin", 600L).field("url");
            long t0 = System.nanoTime();
            RawResponse up = files.upload("PUT", upload, false, local);
            double upSeconds = (System.nanoTime() - t0) / 1e9;
            assertThat(up.status()).as(up.text()).isEqualTo(200);
            assertThat(up.json().path("size").asLong()).isEqualTo(100_000_000L);
            String download =
                    signed(api, sandbox, "/download-url", "big/100mb.bin", 600L).field("url");
            long t1 = System.nanoTime();
            FilesClient.Download down = files.download(download, false);
            double downSeconds = (System.nanoTime() - t1) / 1e9;
            assertThat(down.status()).as(down.error()).isEqualTo(200);
            assertThat(down.bytes()).isEqualTo(100_000_000L);
            assertThat(down.sha256()).isEqualTo(sha);
            assertThat(api.sandboxes()
                            .get(sandbox)
                            .commands()
                            .run("sha256sum /workspace/big/100mb.bin")
                            .stdout())
                    .startsWith(sha);
            System.out.printf("100 MB through signed URLs: up %.2f s, down %.2f s%n", upSeconds, downSeconds);
            assertThat(api.http()
                            .send("DELETE", route(sandbox, "", param("path", "big")))
                            .status())
                    .isEqualTo(204);
        } finally {
            Files.deleteIfExists(local);
        }
    }

    private static RawResponse signed(CrowNest caller, String id, String which, String path, Long expiresIn) {
        Map<String, Object> body =
                expiresIn == null ? Map.of("path", path) : Map.of("path", path, "expiresInSeconds", expiresIn);
        RawResponse answer = caller.http().send("POST", route(id, which, null), body);
        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        return answer;
    }

    private static String readAnswer(InputStream in) throws IOException {
        StringBuilder text = new StringBuilder();
        byte[] buffer = new byte[4096];
        try {
            for (int n; (n = in.read(buffer)) > 0; ) {
                text.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                if (text.indexOf("}}") >= 0) {
                    break;
                }
            }
        } catch (SocketException closed) {
            // the gateway may close the connection right after its answer
        }
        return text.toString();
    }

    private static List<String> names(RawResponse listing) {
        assertThat(listing.status()).as(listing.text()).isEqualTo(200);
        List<String> names = new ArrayList<>();
        for (JsonNode entry : listing.json().path("entries")) {
            names.add(entry.path("name").asText());
        }
        return names;
    }

    private static void assertError(RawResponse answer, int status, String code) {
        assertThat(answer.status()).as(answer.text()).isEqualTo(status);
        JsonNode error = answer.json() == null ? null : answer.json().path("error");
        assertThat(error).as(answer.text()).isNotNull();
        assertThat(error.path("code").asText()).as(answer.text()).isEqualTo(code);
        assertThat(error.path("type").asText()).isNotBlank();
        assertThat(error.path("message").asText()).isNotBlank();
        assertThat(error.path("requestId").asText()).startsWith("req_");
        assertThat(answer.text()).doesNotContain("Exception").doesNotContain("\tat ");
    }
}
