package dev.crownest.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The SDK against a real stack: sandboxes, errors, TTL, files, previews, pause/resume/fork, kill. */
class SandboxStackTest extends OnStack {

    @Test
    void createAnswersARunningSandboxThatGetAndListFind() {
        assertThat(sandbox.id()).startsWith("sbx_");
        assertThat(sandbox.status()).isEqualTo("running");
        assertThat(client.sandboxes().get(sandbox.id()).info().template()).isEqualTo("base");
        assertThat(client.sandboxes().list().data()).extracting(Sandbox::id).contains(sandbox.id());
    }

    @Test
    void theSameIdempotencyKeyCreatesOneSandbox() {
        String key = "sdk-java-" + System.nanoTime();
        CreateSandboxOptions options = new CreateSandboxOptions()
                .template("base")
                .ttl(Duration.ofMinutes(1))
                .idempotencyKey(key);
        Sandbox a = client.sandboxes().create(options);
        Sandbox b = client.sandboxes().create(options);
        try {
            assertThat(b.id()).isEqualTo(a.id());
        } finally {
            a.kill();
        }
    }

    @Test
    void errorsAreTypedWithStatusCodeAndRequestId() {
        NotFoundException missing = catchThrowableOfType(
                NotFoundException.class, () -> client.sandboxes().get("sbx_doesnotexist"));
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.code()).isEqualTo("sandbox_not_found");
        assertThat(missing.requestId()).startsWith("req_");
        assertThatThrownBy(() -> client.sandboxes().create(new CreateSandboxOptions().template("no-such-template")))
                .isInstanceOf(BadRequestException.class);
        AuthenticationException denied = catchThrowableOfType(
                AuthenticationException.class,
                () -> CrowNest.builder()
                        .apiKey("cn_live_wrong")
                        .baseUrl(stack.url)
                        .build()
                        .sandboxes()
                        .list());
        assertThat(denied.status()).isEqualTo(401);
    }

    @Test
    void setTimeoutMovesTheDeadline() {
        var before = sandbox.refresh().info().expiresAt();
        sandbox.setTimeout(Duration.ofMinutes(15));
        assertThat(sandbox.info().expiresAt()).isAfter(before);
    }

    @Test
    void filesAreWrittenAndReadAsTextBytesAndStreams() throws IOException {
        assertThat(sandbox.files().write("dir/a.txt", "hello").size()).isEqualTo(5);
        assertThat(sandbox.files().read("dir/a.txt")).isEqualTo("hello");
        sandbox.files().write("dir/b.bin", new byte[] {0, 1, 2, (byte) 255});
        assertThat(sandbox.files().readBytes("dir/b.bin")).containsExactly(0, 1, 2, 255);
        byte[] big = new byte[3 * 1024 * 1024];
        Arrays.fill(big, (byte) 7);
        sandbox.files().write("dir/c.bin", new ByteArrayInputStream(big));
        try (InputStream in = sandbox.files().readStream("dir/c.bin")) {
            assertThat(in.readAllBytes()).hasSize(big.length);
        }
        assertThat(sandbox.files().list("dir"))
                .extracting(FileEntry::name)
                .containsExactlyInAnyOrder("a.txt", "b.bin", "c.bin");
    }

    @Test
    void mkdirMoveRemove() {
        sandbox.files().mkdir("m/n");
        sandbox.files().write("m/x.txt", "x");
        sandbox.files().move("m/x.txt", "m/n/y.txt");
        assertThat(sandbox.files().read("m/n/y.txt")).isEqualTo("x");
        assertThatThrownBy(() -> sandbox.files().move("m/n/y.txt", "m/n/y.txt")).isInstanceOf(ConflictException.class);
        sandbox.files().remove("m");
        assertThatThrownBy(() -> sandbox.files().read("m/n/y.txt")).isInstanceOf(NotFoundException.class);
    }

    @Test
    void signedUrlsNeedNoKey() throws Exception {
        HttpClient plain = HttpClient.newHttpClient();
        SignedUrl up = sandbox.files().uploadUrl("signed.txt");
        HttpResponse<String> put = plain.send(
                HttpRequest.newBuilder(URI.create(up.url()))
                        .method(up.method(), HttpRequest.BodyPublishers.ofString("signed!"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).isLessThan(300);
        SignedUrl down = sandbox.files().downloadUrl("signed.txt", 60);
        assertThat(plain.send(
                                HttpRequest.newBuilder(URI.create(down.url())).build(),
                                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                        .body())
                .isEqualTo("signed!");
    }

    @Test
    void previewsCreateListTokenClose() {
        sandbox.commands()
                .run("cd /workspace && (nohup python3 -m http.server 8000 >/dev/null 2>&1 || busybox httpd -p 8000"
                        + " || true) &");
        Preview p = sandbox.previews().create(8000);
        assertThat(p.port()).isEqualTo(8000);
        assertThat(p.url()).matches("^https?://.*");
        assertThat(sandbox.previews().list().data()).extracting(Preview::id).contains(p.id());
        assertThat(sandbox.previews().token(p.id()).url()).isNotBlank();
        sandbox.previews().close(p.id());
        assertThat(sandbox.previews().get(p.id()).status()).isEqualTo("closed");
    }

    @Test
    void pauseAnswersTheSnapshotThatResumeAndForkUse() {
        Sandbox s = client.sandboxes()
                .create(new CreateSandboxOptions().template("base").ttl(Duration.ofMinutes(5)));
        try {
            s.files().write("kept.txt", "kept");
            String snapshotId = s.pause();
            assertThat(s.status()).isEqualTo("paused");
            assertThat(snapshotId).isNotBlank();
            assumeTrue(stack.hasRoute(client, "GET", "/v1/snapshots/{id}"), "no snapshot routes on this stack");
            Sandbox resumed = client.sandboxes().resume(snapshotId);
            assertThat(resumed.id()).isEqualTo(s.id());
            assertThat(resumed.files().read("kept.txt")).isEqualTo("kept");
            resumed.pause();
            Sandbox fork = resumed.fork();
            try {
                assertThat(fork.id()).isNotEqualTo(s.id());
                assertThat(fork.info().fromSnapshot()).isEqualTo(resumed.snapshotId());
                assertThat(fork.files().read("kept.txt")).isEqualTo("kept");
            } finally {
                fork.kill();
            }
        } finally {
            s.kill();
        }
    }

    @Test
    void aKilledSandboxAnswersConflictAndKeepsItsArtifacts() {
        Sandbox s = client.sandboxes()
                .create(new CreateSandboxOptions().template("base").ttl(Duration.ofMinutes(2)));
        CommandResult r = s.commands().run("printf kept > out.txt", new RunOptions().collect("out.txt"));
        s.kill();
        assertThat(s.refresh().status()).isIn("ended", "killed", "stopping", "terminated");
        ConflictException e =
                catchThrowableOfType(ConflictException.class, () -> s.files().read("out.txt"));
        assertThat(e.code()).isEqualTo("sandbox_not_running");
        assertThat(s.artifacts().downloadText(r.artifacts().get(0).id())).isEqualTo("kept");
    }

    @Test
    void requestReachesAnyOtherRoute() {
        assertThat(client.get("/v1/sandboxes/" + sandbox.id()).path("id").asText())
                .isEqualTo(sandbox.id());
        assertThat(client.request("POST", "/v1/sandboxes/" + sandbox.id() + "/ttl", Map.of("ttlMs", 900_000))
                        .path("id")
                        .asText())
                .isEqualTo(sandbox.id());
        assertThat(List.of(client.baseUrl())).containsExactly(stack.url.replaceAll("/+$", ""));
    }
}
