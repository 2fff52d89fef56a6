package dev.crownest.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crownest.contracts.security.InternalHeaders;
import dev.crownest.kit.auth.ServiceCredential;
import dev.crownest.testing.IntegrationTest;
import dev.crownest.testing.TerminalClient;
import java.net.URI;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The terminal WebSocket against real runsc: a login shell on a pseudo-terminal through the process
 * agent (frames T, I, W), its size, its exit, and a closed socket killing its whole session.
 */
@IntegrationTest
class TerminalIntegrationTest {
    static final Path STATE = TestSandboxes.stateDir("node-terminal");
    private static final Duration PATIENCE = Duration.ofSeconds(20);
    /** Counts the sandbox's processes whose command line starts with "sleep 7". */
    private static final String SLEEPERS =
            "n=0; for p in /proc/[0-9]*; do case \"$(tr '\\0' ' ' < $p/cmdline 2>/dev/null)\" in 'sleep 7'*) n=$((n+1));; esac; done; echo $n";

    @DynamicPropertySource
    static void node(DynamicPropertyRegistry registry) {
        TestSandboxes.register(registry, STATE);
    }

    @LocalServerPort
    int port;

    @Autowired
    ServiceCredential credential;

    @AfterAll
    static void removeState() throws Exception {
        TestSandboxes.remove(STATE);
    }

    @Test
    void aShellOnATerminalEchoesResizesExitsAndDiesWithItsSocket() throws Exception {
        try (var sandbox = TestSandboxes.start(port, "base", 1, 256, 0)) {
            try (TerminalClient terminal = open(sandbox.id(), "?cols=100&rows=30")) {
                terminal.type("echo hello-$((6*7))-pty\r");
                assertThat(terminal.awaitOutput("hello-42-pty", PATIENCE)).contains("echo hello-$((6*7))-pty");
                terminal.type("stty size; tty; pwd; echo $TERM\r");
                assertThat(terminal.awaitOutput("xterm-256color\r\n", PATIENCE))
                        .contains("30 100")
                        .contains("/dev/pts/")
                        .contains("/workspace");
                // the baseline of the gateway's figure (TerminalTest): one byte typed, its echo waited for
                List<Long> echoes = terminal.echoTimes(50, PATIENCE);
                System.out.printf(
                        "terminal: keystroke echo at the node p50 %.2f ms, p90 %.2f ms (50 single-byte writes)%n",
                        echoes.get(25) / 1e6, echoes.get(45) / 1e6);
                terminal.resize(132, 43);
                terminal.type("stty size\r");
                terminal.awaitOutput("43 132", PATIENCE);
                terminal.type("exit 3\r");
                terminal.awaitText("\"exitCode\":3", PATIENCE);
                assertThat(terminal.texts()).contains("\"type\":\"exit\"");
                assertThat(terminal.awaitClose(PATIENCE)).isEqualTo(1000);
            }

            // a closed socket kills the terminal's session: its foreground job and a background job alike
            try (TerminalClient terminal = open(sandbox.id(), "")) {
                terminal.type("sleep 701 & sleep 702\r");
                terminal.awaitOutput("[1]", PATIENCE);
                awaitSleepers(sandbox, 2);
            }
            awaitSleepers(sandbox, 0);

            // a command instead of the login shell
            try (TerminalClient terminal = open(sandbox.id(), "?command=" + "echo%20from-a-command%3B%20exit%205")) {
                terminal.awaitOutput("from-a-command", PATIENCE);
                terminal.awaitText("\"exitCode\":5", PATIENCE);
            }
        }
    }

    @Test
    void refusalsComeBeforeTheUpgrade() throws Exception {
        assertThat(refusal("sbx_nothere", "")).isEqualTo(404);
        assertThat(refusal("sbx_nothere", "?cols=0")).isEqualTo(400);
        assertThat(refusal("sbx_nothere", "?rows=1001")).isEqualTo(400);
        // without the service token: the node's door, before anything
        ExecutionException unsigned =
                (ExecutionException) catchThrown(() -> TerminalClient.open(uri("sbx_x", ""), Map.of()));
        assertThat(((WebSocketHandshakeException) unsigned.getCause())
                        .getResponse()
                        .statusCode())
                .isEqualTo(401);
    }

    private void awaitSleepers(TestSandboxes.Sandbox sandbox, int count) throws Exception {
        String seen = "";
        for (int i = 0; i < 100; i++) {
            seen = sandbox.exec(SLEEPERS, 10_000).stdout().strip();
            if (seen.equals(Integer.toString(count))) {
                return;
            }
            Thread.sleep(100);
        }
        assertThat(seen).as("sleep processes in the sandbox").isEqualTo(Integer.toString(count));
    }

    private int refusal(String sandboxId, String query) {
        Throwable thrown = catchThrown(() -> open(sandboxId, query));
        return ((WebSocketHandshakeException) thrown.getCause()).getResponse().statusCode();
    }

    private static Throwable catchThrown(ThrowingCall call) {
        try {
            call.run();
        } catch (Throwable t) {
            return t;
        }
        throw new AssertionError("expected a refusal");
    }

    private interface ThrowingCall {
        void run() throws Exception;
    }

    private TerminalClient open(String sandboxId, String query) throws Exception {
        return TerminalClient.open(uri(sandboxId, query), Map.of(InternalHeaders.SERVICE_TOKEN, credential.token()));
    }

    private URI uri(String sandboxId, String query) {
        return URI.create("ws://127.0.0.1:" + port + "/node/v1/sandboxes/" + sandboxId + "/pty" + query);
    }
}
