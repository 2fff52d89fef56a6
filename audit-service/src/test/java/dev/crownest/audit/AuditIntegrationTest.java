package dev.crownest.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crownest.contracts.event.CommandEvent;
import dev.crownest.contracts.event.KeyEvent;
import dev.crownest.contracts.event.NetworkMode;
import dev.crownest.contracts.event.PlatformEvent;
import dev.crownest.contracts.event.SandboxEvent;
import dev.crownest.contracts.event.Topics;
import dev.crownest.testing.DropsThrowawayDatabases;
import dev.crownest.testing.TestInfrastructure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Events from the three audited topics on real Kafka into the chained log in real PostgreSQL. */
@ExtendWith(DropsThrowawayDatabases.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class AuditIntegrationTest {
    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.register(registry, "audit_test_");
    }

    @LocalServerPort
    int port;
    @Autowired
    KafkaTemplate<String, PlatformEvent> kafka;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    ObjectMapper json;

    @Test
    void chainsEventsOncePerTenantAndCatchesAnEdit() throws Exception {
        String tenant = "t-" + UUID.randomUUID();
        String sandbox = "sbx_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
        Instant t = Instant.parse("2026-11-25T08:00:00.123456789Z");
        var created = new SandboxEvent.SandboxCreated(UUID.randomUUID(), tenant, t, 1, sandbox, null, "base", 60000,
                t.plusSeconds(60), NetworkMode.OFF, 1, 512, Map.of("B", "2", "A", "1"), Map.of(), "key_1");
        var command = new CommandEvent.CommandStarted(UUID.randomUUID(), tenant, t.plusMillis(5), 1, "cmd_1", sandbox,
                "echo hi", "/workspace", Map.of(), 60000, null, "key_1");
        var key = new KeyEvent.ApiKeyRevoked(UUID.randomUUID(), tenant, t.plusMillis(7), 1, "key_9", "operator");
        var killed = new SandboxEvent.SandboxKilled(UUID.randomUUID(), tenant, t.plusMillis(9), 1, sandbox, "requested", "key_1");
        kafka.send(Topics.SANDBOX_EVENTS, sandbox, created);
        kafka.send(Topics.SANDBOX_EVENTS, sandbox, created); // redelivery
        kafka.send(Topics.COMMAND_EVENTS, sandbox, command);
        kafka.send(Topics.KEY_EVENTS, "key_9", key);
        kafka.send(Topics.SANDBOX_EVENTS, sandbox, killed);
        kafka.flush();

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(get("/internal/audit/events", tenant).path("data")).hasSize(4));
        JsonNode bySandbox = get("/internal/audit/events?resourceId=" + sandbox, tenant).path("data");
        assertThat(bySandbox).extracting(e -> e.path("action").asText()).containsExactly("sandbox.created", "sandbox.killed");
        // the kill is a tombstone: who and when
        assertThat(bySandbox.get(1).path("actor").asText()).isEqualTo("key_1");
        assertThat(get("/internal/audit/events?action=key.revoked", tenant).path("data").get(0).path("actor").asText()).isEqualTo("operator");
        assertThat(get("/internal/audit/events", "another-tenant").path("data")).isEmpty();

        JsonNode verified = get("/internal/audit/verify", tenant);
        assertThat(verified.path("valid").asBoolean()).isTrue();
        assertThat(verified.path("checked").asInt()).isEqualTo(4);

        // The table refuses edits outright...
        assertThatThrownBy(() -> jdbc.update("UPDATE audit_event SET actor = 'x' WHERE tenant_id = ?", tenant))
                .isInstanceOf(DataAccessException.class).hasMessageContaining("append-only");
        // ...and an edit made by someone who drops the guard first is caught by verify.
        jdbc.execute("ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only");
        long editedSeq = jdbc.queryForObject("SELECT seq FROM audit_event WHERE tenant_id = ? AND action = 'command.started'", Long.class, tenant);
        jdbc.update("UPDATE audit_event SET payload = jsonb_set(payload, '{cmd}', '\"rm -rf /\"') WHERE tenant_id = ? AND seq = ?", tenant, editedSeq);
        jdbc.execute("ALTER TABLE audit_event ENABLE TRIGGER audit_event_append_only");
        JsonNode tampered = get("/internal/audit/verify", tenant);
        assertThat(tampered.path("valid").asBoolean()).isFalse();
        assertThat(tampered.path("firstInvalidSeq").asLong()).isEqualTo(editedSeq);
    }

    private JsonNode get(String path, String tenant) throws Exception {
        HttpResponse<String> res = TestInfrastructure.getAsTenant(port, path, tenant);
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        return json.readTree(res.body());
    }
}
