package dev.crownest.node;

import static dev.crownest.node.NodeAgentClient.q;
import static org.assertj.core.api.Assertions.assertThat;

import dev.crownest.node.NodeAgentClient.Exec;
import dev.crownest.testing.IntegrationTest;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The attacker's cases of issue 15 against a real sandbox (runsc, and Docker with runsc in the
 * docker-runtime profile): a symlink swapped under the files API, {@code /proc/self/exe}, hard links
 * out of /workspace, device nodes, raw sockets, processes left after a kill. Every loop is bounded in
 * count and time. Host files a sandbox must never reach are planted by the test in a temp dir.
 */
@IntegrationTest
class AttackerContainmentIntegrationTest {
    static final Path STATE = TestSandboxes.stateDir("node-attacker");
    private static final int CAP_NET_RAW = 13;
    private static final int CAP_MKNOD = 27;

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

    /**
     * A loop inside swaps {@code /workspace/race} between a file and symlinks to the host's
     * /etc/shadow and to a planted host file, while the files API reads and writes that path: the node
     * agent opens each name with O_NOFOLLOW, so it reads the sandbox's own file or refuses, and never
     * reads or writes the host's.
     */
    @Test
    void aSymlinkSwapRaceNeverReachesOutOfTheSandbox() throws Exception {
        String secret = "host-secret-" + UUID.randomUUID();
        Path planted = Files.createTempFile("crownest-race", ".txt");
        Files.writeString(planted, secret);
        String shadowBefore = sha256(Path.of("/etc/shadow"));
        try (var sandbox = TestSandboxes.start(port, "base", 1, 256, 0)) {

            String swap = "cd /workspace; end=$(($(date +%s)+20)); i=0; while [ $i -lt 200000 ]; do "
                    + "rm -f race; echo inside > race; rm -f race; ln -s /etc/shadow race; rm -f race; ln -s "
                    + planted + " race; i=$((i+1)); "
                    + "if [ $((i % 50)) -eq 0 ] && [ $(date +%s) -ge $end ]; then break; fi; done; echo swapped $i";
            CompletableFuture<Exec> loop = CompletableFuture.supplyAsync(() -> {
                try {
                    return sandbox.exec(swap, 40_000);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            String path = "/node/v1/sandboxes/" + sandbox.id() + "/files?path=" + q("race");
            int reads = 0;
            int readOk = 0;
            int writes = 0;
            int writeOk = 0;
            int aborted = 0;
            long until = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (System.nanoTime() < until && reads < 400) {
                HttpResponse<byte[]> read;
                try {
                    read = sandbox.client().getBytes(path);
                } catch (IOException cutShort) {
                    // The sandbox truncated or replaced the file after the node opened it and sent its
                    // length: the node aborts the answer rather than send other bytes. Nothing came out.
                    reads++;
                    aborted++;
                    continue;
                }
                reads++;
                String body = new String(read.body(), StandardCharsets.UTF_8);
                assertThat(body).doesNotContain(secret).doesNotContain("root:");
                assertThat(read.statusCode()).isLessThan(500);
                readOk += read.statusCode() == 200 ? 1 : 0;
                HttpResponse<String> write =
                        sandbox.client().send("PUT", path, HttpRequest.BodyPublishers.ofString("written-by-api"));
                writes++;
                assertThat(write.statusCode()).as(write.body()).isLessThan(500);
                writeOk += write.statusCode() < 300 ? 1 : 0;
            }
            Exec swapped = loop.get();
            System.out.printf(
                    "symlink race: %s; files API %d reads (%d answered 200, %d cut short), %d writes (%d written)%n",
                    swapped.stdout().strip(), reads, readOk, aborted, writes, writeOk);
            assertThat(swapped.stdout()).startsWith("swapped");
            assertThat(Files.readString(planted)).isEqualTo(secret);
            assertThat(sha256(Path.of("/etc/shadow"))).isEqualTo(shadowBefore);
        } finally {
            Files.deleteIfExists(planted);
        }
    }

    /**
     * Writing through {@code /proc/self/exe} (or PID 1's) reaches at most the sandbox's own copy of the
     * binary, in its overlay on its own disk: gVisor gives no ETXTBSY, so a shell that truncates its own
     * binary dies of SIGBUS, but the host's runsc and the template's files stay as they were and the
     * next sandbox of the template runs.
     */
    @Test
    void procSelfExeOverwriteReachesNoHostBinary() throws Exception {
        Path runsc = Path.of(new String(
                        new ProcessBuilder("sh", "-c", "command -v " + TestSandboxes.RUNSC)
                                .start()
                                .getInputStream()
                                .readAllBytes(),
                        StandardCharsets.UTF_8)
                .strip());
        Path template = TestSandboxes.TEMPLATES.resolve("base");
        Path image = Files.exists(template.resolve("rootfs.erofs"))
                ? template.resolve("rootfs.erofs")
                : template.resolve("rootfs/usr/bin/dash");
        String runscBefore = sha256(runsc);
        String imageBefore = sha256(image);
        try (var sandbox = TestSandboxes.start(port, "base", 1, 256, 0)) {
            Exec attempt = sandbox.exec(
                    "cp /bin/true /proc/1/exe; echo pid1=$?; cat /bin/true > /proc/self/exe; echo self=$?", 20_000);
            System.out.printf("/proc/self/exe: %s%n", attempt);
        }
        assertThat(sha256(runsc)).as("the host's runsc").isEqualTo(runscBefore);
        assertThat(sha256(image)).as("the template on the host").isEqualTo(imageBefore);
        try (var fresh = TestSandboxes.start(port, "base", 1, 256, 0)) {
            assertThat(fresh.exec("echo fresh", 10_000).stdout()).isEqualTo("fresh\n");
        }
    }

    @Test
    void hardLinksOutOfWorkspaceReachNoHostFile() throws Exception {
        String secret = "host-secret-" + UUID.randomUUID();
        Path planted = Files.createTempFile("crownest-link", ".txt");
        Files.writeString(planted, secret);
        try (var sandbox = TestSandboxes.start(port, "base", 1, 256, 0)) {
            Exec links = sandbox.exec(
                    "cd /workspace; ln " + planted
                            + " a 2>&1; ln /etc/passwd b 2>&1; ln /proc/1/root/etc/hostname c 2>&1; " + "ls; echo done",
                    20_000);
            System.out.printf("hard links: %s%n", links.stdout().replace('\n', ' '));
            for (String name : new String[] {"a", "b", "c"}) {
                var read = sandbox.client().getBytes("/node/v1/sandboxes/" + sandbox.id() + "/files?path=" + q(name));
                String body = new String(read.body(), StandardCharsets.UTF_8);
                assertThat(body).doesNotContain(secret);
                if (read.statusCode() == 200) {
                    // a link that was made is to the sandbox's own file, never the host's
                    assertThat(body).isNotEqualTo(Files.readString(Path.of("/etc/passwd")));
                }
            }
        } finally {
            Files.deleteIfExists(planted);
        }
    }

    @Test
    void noDeviceNodesAndNoRawSockets() throws Exception {
        try (var sandbox = TestSandboxes.start(port, "base", 1, 256, 0)) {
            Exec caps = sandbox.exec("grep CapEff /proc/self/status", 10_000);
            long effective = Long.parseLong(caps.stdout().strip().split("\\s+")[1], 16);
            assertThat(effective & (1L << CAP_NET_RAW)).as("CAP_NET_RAW").isZero();
            assertThat(effective & (1L << CAP_MKNOD)).as("CAP_MKNOD").isZero();
            Exec mknod = sandbox.exec(
                    "mknod /workspace/sda b 8 0 && echo made-block; mknod /tmp/mem c 1 1 && echo made-char; "
                            + "head -c 512 /workspace/sda 2>/dev/null | wc -c; head -c 512 /tmp/mem 2>/dev/null | wc -c",
                    10_000);
            System.out.printf(
                    "mknod: %s / %s%n",
                    mknod.stdout().replace('\n', ' '), mknod.stderr().strip());
            // A block device is refused (no CAP_MKNOD). gVisor may let a character node exist in its own
            // file system, but the sentry backs none of it with a host device: it reads as nothing.
            assertThat(mknod.stdout()).doesNotContain("made-block");
            assertThat(mknod.stdout().lines().map(String::strip).filter(l -> l.matches("\\d+")))
                    .containsOnly("0");
        }
        try (var sandbox = TestSandboxes.start(port, "python", 1, 256, 0)) {
            Exec raw = sandbox.exec(
                    "python3 -c 'import socket\n"
                            + "for family, proto in ((socket.AF_INET, 1), (socket.AF_PACKET, 0)):\n"
                            + "  try:\n"
                            + "    socket.socket(family, socket.SOCK_RAW, proto); print(\"opened\", family)\n"
                            + "  except OSError as e: print(\"refused\", e.errno)'",
                    20_000);
            System.out.printf(
                    "raw sockets: %s / %s%n",
                    raw.stdout().replace('\n', ' '), raw.stderr().strip());
            assertThat(raw.stdout()).doesNotContain("opened").contains("refused");
        }
    }

    /** After a kill, no host process of the sandbox is left: its sentry, gofer and every process inside end. */
    @Test
    void aKillLeavesNoProcessOnTheHost() throws Exception {
        var sandbox = TestSandboxes.start(port, "base", 1, 256, 0);
        String container = TestSandboxes.containerOf(STATE, sandbox.id());
        Exec spawned = sandbox.exec(
                "for i in 1 2 3; do setsid nohup sleep 1000 >/dev/null 2>&1 & done; (trap '' TERM HUP; sleep 1000) & echo spawned",
                10_000);
        assertThat(spawned.stdout()).contains("spawned");
        assertThat(hostProcessesOf(container))
                .as("the sandbox runs on the host")
                .isPositive();
        assertThat(sandbox.client().delete(sandbox.id())).isLessThan(300);
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> hostProcessesOf(container) == 0);
    }

    /** Host processes whose command line names the container (runsc's sandbox and gofer, or Docker's shim). */
    private static long hostProcessesOf(String container) throws Exception {
        try (var procs = Files.list(Path.of("/proc"))) {
            return procs.filter(p -> p.getFileName().toString().matches("\\d+"))
                    .filter(p -> {
                        try {
                            String cmdline =
                                    Files.readString(p.resolve("cmdline")).replace('\0', ' ');
                            return cmdline.contains(container) && !cmdline.contains("grep");
                        } catch (Exception e) {
                            return false; // ended meanwhile
                        }
                    })
                    .count();
        }
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
