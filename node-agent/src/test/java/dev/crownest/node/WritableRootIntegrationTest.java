package dev.crownest.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crownest.node.NodeAgentClient.Exec;
import dev.crownest.testing.IntegrationTest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Each sandbox's root is writable and its own: writes to /etc, /root and /usr/local stay in that
 * sandbox (never the template, never another sandbox), survive pause and resume, go with the sandbox,
 * and count against its disk with /workspace.
 */
@IntegrationTest
class WritableRootIntegrationTest {
    static final Path STATE = TestSandboxes.stateDir("node-writable-root");
    static final String WRITES = "echo x > /etc/x && mkdir -p /root/.config && echo y > /root/.config/y"
            + " && echo z > /usr/local/bin/z && chmod 755 /usr/local/bin/z && chown nobody /etc/x";
    static final String READ_BACK = "cat /etc/x /root/.config/y /usr/local/bin/z && stat -c %U /etc/x";

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

    @Test
    void rootWritesBelongToTheSandboxAloneAndSurvivePauseAndResume() throws Exception {
        Path template = TestSandboxes.TEMPLATES.resolve("base/rootfs");
        try (var a = TestSandboxes.start(port, "base", 1, 256, 0);
                var b = TestSandboxes.start(port, "base", 1, 256, 0)) {
            Exec wrote = a.exec(WRITES, 20_000);
            assertThat(wrote.stderr()).isEmpty();
            assertThat(wrote.exitCode()).isZero();
            assertThat(a.exec(READ_BACK, 20_000).stdout()).isEqualTo("x\ny\nz\nnobody\n");

            Exec other = b.exec("ls /etc/x /root/.config/y /usr/local/bin/z", 20_000);
            assertThat(other.exitCode()).isNotZero();
            assertThat(other.stderr()).contains("No such file");
            assertThat(template.resolve("etc/x")).doesNotExist();
            assertThat(template.resolve("root/.config")).doesNotExist();
            assertThat(template.resolve("usr/local/bin/z")).doesNotExist();

            assertThat(a.client()
                            .post("/node/v1/sandboxes/" + a.id() + "/pause", "")
                            .statusCode())
                    .isEqualTo(200);
            assertThat(a.client()
                            .post("/node/v1/sandboxes/" + a.id() + "/resume", "")
                            .statusCode())
                    .isEqualTo(200);
            Exec afterResume = a.exec(READ_BACK, 20_000);
            assertThat(afterResume.stderr()).isEmpty();
            assertThat(afterResume.stdout()).isEqualTo("x\ny\nz\nnobody\n");
        }
        // a new sandbox of the template after both were killed starts from the template as it is
        try (var fresh = TestSandboxes.start(port, "base", 1, 256, 0)) {
            assertThat(fresh.exec("test ! -e /etc/x && test ! -e /usr/local/bin/z && echo clean", 20_000)
                            .stdout())
                    .isEqualTo("clean\n");
        }
        try (var files = Files.list(STATE.resolve("sandboxes"))) {
            assertThat(files.toList()).isEmpty();
        }
    }

    @Test
    void rootWritesCountAgainstTheSandboxesDiskWithTheWorkspace() throws Exception {
        try (var sandbox = TestSandboxes.start(port, "base", 1, 256, 32)) {
            // 40 MiB into a 32 MiB disk through the root: the overlay's filestore is on the sandbox's disk
            Exec fill = sandbox.exec("dd if=/dev/zero of=/root/fill bs=1M count=40", 60_000);
            System.out.printf(
                    "root fill: exit %d, stderr %s%n",
                    fill.exitCode(), fill.stderr().strip());
            assertThat(fill.exitCode()).isNotZero();
            assertThat(fill.stderr()).contains("No space left on device");
            // and /workspace shares the same space: what the root took is not there
            Exec workspace = sandbox.exec("dd if=/dev/zero of=/workspace/more bs=1M count=8", 60_000);
            assertThat(workspace.stderr()).contains("No space left on device");
            // freed in the root, the space is back for /workspace (within a few seconds: the sentry's
            // filestore gives a removed file's blocks back when its last reference goes, once seen late)
            assertThat(sandbox.exec(
                                    "rm /root/fill /workspace/more && for i in 1 2 3 4 5; do"
                                            + " dd if=/dev/zero of=/workspace/more bs=1M count=8 2>/dev/null"
                                            + " && echo ok && break; rm -f /workspace/more; sleep 1; done",
                                    60_000)
                            .stdout())
                    .isEqualTo("ok\n");
            // the sandbox lives on
            assertThat(sandbox.exec("echo fine", 10_000).stdout()).isEqualTo("fine\n");
        }
    }
}
