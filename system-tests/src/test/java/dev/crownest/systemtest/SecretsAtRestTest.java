package dev.crownest.systemtest;

import static dev.crownest.systemtest.TwoProjects.running;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.crownest.contracts.event.Topics;
import dev.crownest.contracts.security.Scopes;
import dev.crownest.sdk.CrowNest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, F4 and F5 reproduced and refused: a sandbox created and a command run with env values,
 * keys and an admin session made; then the audit events, the audit export, the read models, the Kafka
 * topics and the services' logs hold neither the env values nor any credential hash. The command
 * proves the node still got the values (the worker opened them under the stack key).
 */
class SecretsAtRestTest {

    @Test
    void noEnvValueAndNoCredentialHashAnywhereAtRest() throws IOException {
        TwoProjects tenant = new TwoProjects("secrets");
        CrowNest key = tenant.key("env user", Scopes.ALL, null);
        String createValue = "cv" + UUID.randomUUID().toString().replace("-", "");
        String runValue = "rv" + UUID.randomUUID().toString().replace("-", "");
        String session = TwoProjects.created(tenant.operator
                        .http()
                        .send("POST", "/v1/tenants/" + tenant.tenant + "/admin-sessions", Map.of()))
                .path("adminToken")
                .asText();
        tenant.secrets.add(session);

        String sandbox = running(key.http()
                .send(
                        "POST",
                        "/v1/sandboxes",
                        Map.of("template", "base", "ttlMs", 120000, "env", Map.of("CN_CREATE_SECRET", createValue))));
        var run = key.http()
                .send(
                        "POST",
                        "/v1/sandboxes/" + sandbox + "/commands",
                        Map.of(
                                "cmd",
                                // the values reached the process: their length, never the values, in the output
                                "test ${#CN_CREATE_SECRET} = 34 && test ${#CN_RUN_SECRET} = 34 && echo delivered",
                                "env",
                                Map.of("CN_RUN_SECRET", runValue)));
        assertThat(run.status()).as(run.text()).isEqualTo(200);
        assertThat(run.json().path("exitCode").asInt()).as(run.text()).isZero();
        String command = run.field("id");

        List<String> forbidden = new ArrayList<>(List.of(createValue, runValue, "secretHash", "tokenHash"));
        tenant.secrets.forEach(secret -> {
            forbidden.add(secret);
            forbidden.add(sha256(secret));
        });

        // audit: the rows are there, with the env names and without the values or hashes
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> key.http()
                                .send("GET", "/v1/audit/events?resourceId=" + command)
                                .json()
                                .path("data")
                                .size()
                        > 0);
        String events = key.http().send("GET", "/v1/audit/events?limit=1000").text();
        assertThat(events).contains("CN_CREATE_SECRET").contains("CN_RUN_SECRET");
        assertNone(forbidden, "audit events", events);
        assertNone(
                forbidden,
                "audit export (json)",
                key.http().send("GET", "/v1/audit/export?format=json").text());
        assertNone(
                forbidden,
                "audit export (csv)",
                key.http().send("GET", "/v1/audit/export?format=csv").text());

        // read models exposed through the API
        assertNone(
                forbidden,
                "sandbox",
                key.http().send("GET", "/v1/sandboxes/" + sandbox).text());
        assertNone(
                forbidden,
                "command",
                key.http()
                        .send("GET", "/v1/sandboxes/" + sandbox + "/commands/" + command)
                        .text());
        assertNone(
                forbidden, "keys", tenant.admin.http().send("GET", "/v1/keys").text());

        // Kafka: every record of the control plane's topics, from the beginning
        StringBuilder topics = new StringBuilder();
        try (TopicTail all = TopicTail.fromBeginning(
                SystemUnderTest.kafka(), Topics.SANDBOX_EVENTS, Topics.COMMAND_EVENTS, Topics.KEY_EVENTS)) {
            all.drain(Duration.ofSeconds(3))
                    .forEach(r -> topics.append(r.event()).append('\n'));
        }
        assertThat(topics).as("the topics were read").contains(sandbox);
        assertNone(forbidden, "Kafka topics", topics.toString());

        // the services' logs
        Path logs = Path.of(SystemUnderTest.env("CROWNEST_HOME"), "logs");
        try (Stream<Path> files = Files.list(logs)) {
            for (Path log : files.filter(Files::isRegularFile).toList()) {
                assertNone(forbidden, "log " + log.getFileName(), Files.readString(log, StandardCharsets.ISO_8859_1));
            }
        }
        key.http().send("DELETE", "/v1/sandboxes/" + sandbox);
    }

    private static void assertNone(List<String> forbidden, String where, String text) {
        for (String value : forbidden) {
            assertThat(text).as(where + " holds no secret, hash or env value").doesNotContain(value);
        }
    }

    private static String sha256(String value) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
