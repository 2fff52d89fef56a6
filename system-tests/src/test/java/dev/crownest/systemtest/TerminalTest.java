package dev.crownest.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crownest.contracts.security.Scopes;
import dev.crownest.sdk.CreateSandboxOptions;
import dev.crownest.sdk.CrowNest;
import dev.crownest.sdk.RawResponse;
import dev.crownest.sdk.Sandbox;
import dev.crownest.testing.TerminalClient;
import java.net.URI;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The terminal route ({@code GET /v1/sandboxes/{id}/pty}) through the public API with a Java WebSocket
 * client and a real gVisor sandbox: typing and reading back, resize, the exit frame, the audit log's
 * opened and closed facts, processes gone with the socket, and the refusals before the upgrade.
 */
class TerminalTest {
    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final int KEYSTROKES = 50;

    private static Sandbox sandbox;

    @BeforeAll
    static void sandbox() {
        sandbox = SystemUnderTest.client().sandboxes().create(new CreateSandboxOptions().template("base"));
        assertThat(sandbox.status()).isEqualTo("running");
    }

    @AfterAll
    static void kill() {
        sandbox.kill();
    }

    @Test
    void aShellTypesResizesExitsAndIsAudited() throws Exception {
        try (TerminalClient terminal = open(SystemUnderTest.apiKey(), sandbox.id(), "?cols=80&rows=24")) {
            terminal.type("echo hello-pty\r");
            // the line as typed (echoed by the terminal), then the command's own output
            Awaitility.await().atMost(PATIENCE).until(() -> terminal.output().split("hello-pty", -1).length > 2);
            terminal.type("stty size\r");
            terminal.awaitOutput("24 80", PATIENCE);

            // keystroke echo round trip through the gateway: one byte typed, wait for its echo
            List<Long> echoes = terminal.echoTimes(KEYSTROKES, PATIENCE);
            System.out.printf(
                    "terminal: keystroke echo through the gateway p50 %.2f ms, p90 %.2f ms (%d single-byte writes)%n",
                    echoes.get(KEYSTROKES / 2) / 1e6, echoes.get(KEYSTROKES * 9 / 10) / 1e6, KEYSTROKES);

            // a text frame that is not a resize is refused in the socket, which goes on
            terminal.sendText("{\"type\":\"dance\"}");
            terminal.awaitText("invalid_message", PATIENCE);

            terminal.resize(120, 40);
            terminal.type("stty size\r");
            terminal.awaitOutput("40 120", PATIENCE);

            terminal.type("exit 3\r");
            terminal.awaitText("\"exitCode\":3", PATIENCE);
            assertThat(terminal.texts()).contains("\"type\":\"exit\"");
            assertThat(terminal.awaitClose(PATIENCE)).isEqualTo(1000);
        }

        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            List<JsonNode> facts = new ArrayList<>();
            SystemUnderTest.client()
                    .http()
                    .send("GET", "/v1/audit/events?resourceId=" + sandbox.id() + "&limit=200")
                    .json()
                    .path("data")
                    .forEach(e -> {
                        if (e.path("action").asText().startsWith("sandbox.pty_")) {
                            facts.add(e);
                        }
                    });
            assertThat(facts)
                    .extracting(e -> e.path("action").asText())
                    .contains("sandbox.pty_opened", "sandbox.pty_closed");
            assertThat(facts)
                    .allSatisfy(e -> assertThat(e.path("actor").asText()).startsWith("key_"));
            assertThat(facts)
                    .anySatisfy(
                            e -> assertThat(e.path("payload").path("exitCode").asInt(-1))
                                    .isEqualTo(3));
        });
    }

    @Test
    void closingTheSocketKillsTheTerminalsProcesses() throws Exception {
        try (TerminalClient terminal = open(SystemUnderTest.apiKey(), sandbox.id(), "")) {
            terminal.type("sleep 903 & sleep 904\r");
            terminal.awaitOutput("[1]", PATIENCE);
            Awaitility.await().atMost(PATIENCE).until(() -> processes().contains("sleep 904"));
        }
        Awaitility.await()
                .atMost(PATIENCE)
                .untilAsserted(() ->
                        assertThat(processes()).doesNotContain("sleep 903").doesNotContain("sleep 904"));
    }

    @Test
    void refusalsAreAnsweredBeforeTheUpgrade() throws Exception {
        String path = "/v1/sandboxes/" + sandbox.id() + "/pty";
        String suffix = UUID.randomUUID().toString().substring(0, 8);

        CrowNest otherTenant = TwoProjects.keyOfNewTenant("pty-" + suffix);
        RawResponse foreign = otherTenant.http().send("GET", path);
        assertThat(foreign.status()).isEqualTo(404);
        assertThat(foreign.json().path("error").path("code").asText()).isEqualTo("sandbox_not_found");

        List<String> withoutRun = new ArrayList<>(Scopes.ALL);
        withoutRun.remove(Scopes.COMMANDS_RUN);
        RawResponse key = SystemUnderTest.operator()
                .http()
                .send("POST", "/v1/keys?tenantId=default", Map.of("name", "no run " + suffix, "scopes", withoutRun));
        assertThat(key.status()).as(key.text()).isEqualTo(201);
        RawResponse unscoped = SystemUnderTest.withKey(key.field("key")).http().send("GET", path);
        assertThat(unscoped.status()).isEqualTo(403);
        assertThat(unscoped.json().path("error").path("code").asText()).isEqualTo("missing_scope");
        assertThat(handshakeStatus(key.field("key"), sandbox.id(), "")).isEqualTo(403);

        RawResponse tooWide = SystemUnderTest.client().http().send("GET", path + "?cols=1001");
        assertThat(tooWide.status()).isEqualTo(400);
        assertThat(tooWide.json().path("error").path("code").asText()).isEqualTo("invalid_terminal_size");

        Sandbox stopped = SystemUnderTest.client().sandboxes().create(new CreateSandboxOptions().template("base"));
        stopped.kill();
        RawResponse ended = SystemUnderTest.client().http().send("GET", "/v1/sandboxes/" + stopped.id() + "/pty");
        assertThat(ended.status()).isEqualTo(409);
        assertThat(ended.json().path("error").path("code").asText()).isEqualTo("sandbox_not_running");
    }

    /** The status of a refused WebSocket handshake. */
    private static int handshakeStatus(String apiKey, String sandboxId, String query) throws Exception {
        try (TerminalClient unexpected = open(apiKey, sandboxId, query)) {
            throw new AssertionError("the terminal opened");
        } catch (ExecutionException refused) {
            return ((WebSocketHandshakeException) refused.getCause())
                    .getResponse()
                    .statusCode();
        }
    }

    private static TerminalClient open(String apiKey, String sandboxId, String query) throws Exception {
        URI uri = URI.create(
                SystemUnderTest.apiUrl().replaceFirst("^http", "ws") + "/v1/sandboxes/" + sandboxId + "/pty" + query);
        return TerminalClient.open(uri, Map.of("x-api-key", apiKey));
    }

    private static String processes() {
        return sandbox.commands().run("ps -eo args").stdout();
    }
}
