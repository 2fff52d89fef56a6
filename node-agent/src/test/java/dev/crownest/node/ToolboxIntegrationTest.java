package dev.crownest.node;

import dev.crownest.node.NodeAgentClient.Exec;
import dev.crownest.testing.IntegrationTest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The everyday commands an agent starts with, per template and runtime (runsc, and Docker with runsc in
 * the node-agent pom's docker-runtime execution): each exits 0 with empty stderr. One known wart is
 * asserted exactly: {@code ls -l} on a symlink served by runsc's gofer prints "Bad file descriptor" for
 * its lgetxattr, which the gofer answers EBADF (docs/design.md). On runsc that is /workspace alone: the
 * root is served from the template's EROFS image, with no such wart. On Docker the gofer serves the root
 * too, so the root's listings print it for each symlink, and for nothing else.
 */
@IntegrationTest
class ToolboxIntegrationTest {
    static final Path STATE = TestSandboxes.stateDir("node-toolbox");

    /** Every template's commands; they run in order in one sandbox, later ones using earlier files. */
    static final List<String> EVERY_TEMPLATE = List.of(
            "ls -la /workspace /root /tmp",
            "stat /etc/passwd /bin/sh /tmp",
            "find /etc -name '*.conf' -type f",
            "cp -a /etc /tmp/etc-copy && diff -r --no-dereference /etc /tmp/etc-copy",
            "tar -czf /tmp/etc.tgz -C / etc && tar -tzf /tmp/etc.tgz",
            "du -sh /usr /tmp/etc-copy",
            "df -h / /workspace",
            "ps aux",
            "top -bn1",
            "ln -s /etc/hostname /workspace/link && cat /workspace/link",
            "echo hi > /workspace/f && chmod 600 /workspace/f && stat -c %a /workspace/f",
            "mkfifo /workspace/fifo && test -p /workspace/fifo",
            "printf 'b\\na\\nc\\n' | sort",
            "sha256sum /etc/passwd",
            "git --version",
            "curl --version");

    static final String SYMLINK_WART = "Bad file descriptor";

    /**
     * Listings in long format over the root's symlinks, and the paths each lists: clean on runsc (the
     * template's EROFS image), the wart for each symlink on Docker (the gofer).
     */
    static final Map<String, List<String>> ROOT_LISTINGS = Map.of(
            "ls -la /",
            List.of("/"),
            "ls -l /bin /sbin /lib /lib64 /etc/alternatives /etc/os-release",
            List.of("/bin", "/sbin", "/lib", "/lib64", "/etc/alternatives", "/etc/os-release"));

    /**
     * Listings in long format over symlinks on /workspace (a host directory, served by runsc's gofer),
     * and the paths each lists. Each prints exactly one line {@code ls: PATH: Bad file descriptor} per
     * symlink it lists, nothing else (their stdout is whole).
     */
    static final Map<String, List<String>> WORKSPACE_LISTINGS = Map.of(
            "ls -l /workspace/link", List.of("/workspace/link"),
            "ls -la /workspace", List.of("/workspace"));

    static final Map<String, List<String>> PER_TEMPLATE = Map.of(
            "base", List.of(),
            "python",
                    List.of(
                            "python --version",
                            "python -c 'import sys; print(sys.prefix)'",
                            "pip --version",
                            "python -m venv /tmp/venv && /tmp/venv/bin/python -c 'import sys; assert sys.prefix != sys.base_prefix'",
                            // a package built and installed here, into the system interpreter (no registry)
                            "mkdir -p /tmp/hello/hello && echo 'GREETING = \"hi\"' > /tmp/hello/hello/__init__.py"
                                    + " && printf '[project]\\nname = \"hello\"\\nversion = \"1.0\"\\n' > /tmp/hello/pyproject.toml"
                                    + " && pip install -q --no-index --no-build-isolation /tmp/hello"
                                    + " && cd / && python -c 'import hello; print(hello.GREETING)'"),
            "node",
                    List.of(
                            "node --version",
                            "npm --version",
                            "node -e 'console.log(require(\"os\").platform())'",
                            // a package packed here and installed from its tarball (no registry)
                            "mkdir -p /tmp/hi /tmp/app && cd /tmp/hi"
                                    + " && printf '{\"name\":\"hi\",\"version\":\"1.0.0\"}' > package.json"
                                    + " && echo 'module.exports = \"hi from a tarball\"' > index.js"
                                    + " && npm pack --silent --no-update-notifier > /dev/null"
                                    + " && cd /tmp/app && npm install --silent --offline --no-audit --no-fund"
                                    + " --no-update-notifier /tmp/hi/hi-1.0.0.tgz"
                                    + " && node -e 'console.log(require(\"hi\"))'"));

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

    @ParameterizedTest
    @ValueSource(strings = {"base", "python", "node"})
    void everydayCommandsExitZeroWithEmptyStderr(String template) throws Exception {
        List<String> commands = new ArrayList<>(EVERY_TEMPLATE);
        commands.addAll(PER_TEMPLATE.get(template));
        Map<String, List<String>> warty = new LinkedHashMap<>(WORKSPACE_LISTINGS);
        if (TestSandboxes.DOCKER) {
            warty.putAll(ROOT_LISTINGS);
        } else {
            commands.addAll(0, ROOT_LISTINGS.keySet());
        }
        SoftAssertions soft = new SoftAssertions();
        try (var sandbox = TestSandboxes.start(port, template, 1, 512, 256)) {
            for (String cmd : commands) {
                Exec run = sandbox.exec(cmd, 60_000);
                soft.assertThat(run.exitCode())
                        .as("%s: exit (stderr %s)", cmd, run.stderr())
                        .isZero();
                soft.assertThat(run.stderr()).as("%s: stderr", cmd).isEmpty();
            }
            for (var listing : warty.entrySet()) {
                String cmd = listing.getKey();
                List<String> symlinks = sandbox.exec(symlinksListedBy(listing.getValue()), 60_000)
                        .stdout()
                        .lines()
                        .toList();
                soft.assertThat(symlinks).as("%s: the symlinks it lists", cmd).isNotEmpty();
                Exec run = sandbox.exec(cmd, 60_000);
                soft.assertThat(run.exitCode())
                        .as("%s: exit (stderr %s)", cmd, run.stderr())
                        .isZero();
                soft.assertThat(run.stdout()).as("%s: stdout", cmd).contains(" -> ");
                soft.assertThat(run.stderr().lines().toList())
                        .as("%s: stderr", cmd)
                        .containsExactlyInAnyOrderElementsOf(symlinks.stream()
                                .map(symlink -> "ls: " + symlink + ": " + SYMLINK_WART)
                                .toList());
            }
        }
        soft.assertAll();
    }

    /** A shell line printing each symlink that {@code ls -l PATHS} lists: a path that is one, or one in a directory path. */
    static String symlinksListedBy(List<String> paths) {
        return "for p in " + String.join(" ", paths) + "; do if [ -L \"$p\" ]; then echo \"$p\"; "
                + "elif [ -d \"$p\" ]; then find \"$p\" -mindepth 1 -maxdepth 1 -type l; fi; done";
    }
}
