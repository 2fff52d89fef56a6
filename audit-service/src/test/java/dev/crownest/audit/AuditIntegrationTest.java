package dev.crownest.audit;

import static dev.crownest.audit.AuditTestSupport.sandboxId;
import static dev.crownest.audit.AuditTestSupport.tenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crownest.contracts.event.CommandEvent;
import dev.crownest.contracts.event.InvoiceEvent;
import dev.crownest.contracts.event.KeyEvent;
import dev.crownest.contracts.event.NetworkMode;
import dev.crownest.contracts.event.PlatformEvent;
import dev.crownest.contracts.event.ProjectEvent;
import dev.crownest.contracts.event.QuotaEvent;
import dev.crownest.contracts.event.SandboxEvent;
import dev.crownest.contracts.event.TenantEvent;
import dev.crownest.contracts.event.Topics;
import dev.crownest.kit.auth.ServiceCredential;
import dev.crownest.testing.IntegrationTest;
import dev.crownest.testing.TestInfrastructure;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Events from every audited topic on real Kafka into the chained log in real PostgreSQL, written
 * through a role the database forbids to edit or delete; tombstones; tampering caught by verify.
 */
@IntegrationTest(database = "audit_test_")
class AuditIntegrationTest {
    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        AuditTestSupport.writeAsTestRole(registry);
    }

    @LocalServerPort
    int port;

    @Autowired
    ServiceCredential credential;

    @Autowired
    KafkaTemplate<String, PlatformEvent> kafka;
    /** The service's own connection: the writer role. */
    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    ObjectMapper json;

    @Value("${spring.datasource.url}")
    String databaseUrl;

    @Test
    void chainsEventsOncePerTenantAndCatchesAnEdit() throws Exception {
        String tenant = tenant();
        String sandbox = sandboxId();
        Instant t = Instant.parse("2026-11-25T08:00:00.123456789Z");
        var created = new SandboxEvent.SandboxCreated(
                UUID.randomUUID(),
                tenant,
                t,
                1,
                sandbox,
                null,
                "base",
                60000,
                t.plusSeconds(60),
                NetworkMode.OFF,
                List.of(),
                1,
                512,
                1024,
                Map.of("B", "2", "A", "1"),
                Map.of(),
                "key_1");
        var command = new CommandEvent.CommandStarted(
                UUID.randomUUID(),
                tenant,
                t.plusMillis(5),
                1,
                "cmd_1",
                sandbox,
                "echo hi",
                "/workspace",
                Map.of(),
                60000,
                null,
                "key_1");
        var key = new KeyEvent.ApiKeyRevoked(UUID.randomUUID(), tenant, t.plusMillis(7), 1, "key_9", "operator");
        var killed = new SandboxEvent.SandboxKilled(
                UUID.randomUUID(), tenant, t.plusMillis(9), 1, sandbox, "requested", "key_1");
        kafka.send(Topics.SANDBOX_EVENTS, sandbox, created);
        kafka.send(Topics.SANDBOX_EVENTS, sandbox, created); // redelivery
        kafka.send(Topics.COMMAND_EVENTS, sandbox, command);
        kafka.send(Topics.KEY_EVENTS, "key_9", key);
        kafka.send(Topics.SANDBOX_EVENTS, sandbox, killed);
        kafka.flush();

        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(
                        () -> assertThat(get("/internal/audit/events", tenant).path("data"))
                                .hasSize(4));
        JsonNode bySandbox =
                get("/internal/audit/events?resourceId=" + sandbox, tenant).path("data");
        assertThat(bySandbox)
                .extracting(e -> e.path("action").asText())
                .containsExactly("sandbox.created", "sandbox.killed");
        assertThat(bySandbox.get(1).path("actor").asText()).isEqualTo("key_1");
        assertThat(get("/internal/audit/events", "another-tenant").path("data")).isEmpty();

        JsonNode verified = get("/internal/audit/verify", tenant);
        assertThat(verified.path("valid").asBoolean()).isTrue();
        assertThat(verified.path("checked").asInt()).isEqualTo(4);

        // An edit made by an insider who owns the table and drops the guard first is caught by verify.
        JdbcTemplate owner = AuditTestSupport.superuser(databaseUrl);
        long editedSeq = owner.queryForObject(
                "SELECT seq FROM audit_event WHERE tenant_id = ? AND action = 'command.started'", Long.class, tenant);
        owner.execute("ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only");
        owner.update(
                "UPDATE audit_event SET payload = jsonb_set(payload, '{cmd}', '\"rm -rf /\"') WHERE tenant_id = ? AND seq = ?",
                tenant,
                editedSeq);
        owner.execute("ALTER TABLE audit_event ENABLE TRIGGER audit_event_append_only");
        JsonNode tampered = get("/internal/audit/verify", tenant);
        assertThat(tampered.path("valid").asBoolean()).isFalse();
        assertThat(tampered.path("firstInvalidSeq").asLong()).isEqualTo(editedSeq);
    }

    @Test
    void identityEventsAreAuditedWithTheirActorsAndARevokedAdminSessionLeavesATombstone() throws Exception {
        String tenant = tenant();
        Instant t = Instant.parse("2026-11-25T09:00:00Z");
        String hash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
        kafka.send(
                Topics.KEY_EVENTS,
                tenant,
                new TenantEvent.TenantCreated(UUID.randomUUID(), tenant, t, 1, "Acme", "pro", "operator", null));
        kafka.send(
                Topics.KEY_EVENTS,
                tenant,
                new TenantEvent.TenantAdminSessionOpened(
                        UUID.randomUUID(), tenant, t.plusMillis(1), 1, "adm_1", hash, "operator"));
        kafka.send(
                Topics.KEY_EVENTS,
                tenant,
                new ProjectEvent.ProjectCreated(
                        UUID.randomUUID(), tenant, t.plusMillis(2), 1, "prj_1", "web", "adm_1"));
        kafka.send(
                Topics.KEY_EVENTS,
                "key_1",
                new KeyEvent.ApiKeyCreated(
                        UUID.randomUUID(),
                        tenant,
                        t.plusMillis(3),
                        1,
                        "key_1",
                        "ci",
                        List.of("sandboxes:read"),
                        "prj_1",
                        hash,
                        "adm_1"));
        kafka.send(
                Topics.KEY_EVENTS,
                tenant,
                new TenantEvent.TenantAdminSessionRevoked(
                        UUID.randomUUID(), tenant, t.plusMillis(4), 1, "adm_1", "operator"));
        kafka.flush();

        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(
                        () -> assertThat(get("/internal/audit/events", tenant).path("data"))
                                .hasSize(5));
        JsonNode events = get("/internal/audit/events", tenant).path("data");
        assertThat(events)
                .extracting(e ->
                        e.path("action").asText() + " " + e.path("resourceId").asText() + " by "
                                + e.path("actor").asText())
                .containsExactlyInAnyOrder(
                        "tenant.created " + tenant + " by operator",
                        "tenant.admin_session_opened adm_1 by operator",
                        "project.created prj_1 by adm_1",
                        "key.created key_1 by adm_1",
                        "tenant.admin_session_revoked adm_1 by operator");
        assertThat(jdbc.queryForObject(
                        "SELECT resource_kind FROM audit_tombstone WHERE tenant_id = ?", String.class, tenant))
                .isEqualTo("admin-session");
    }

    @Test
    void theServiceConnectionCannotUpdateOrDeleteTheLog() {
        String tenant = tenant();
        var key = new KeyEvent.ApiKeyRevoked(UUID.randomUUID(), tenant, Instant.now(), 1, "key_x", "operator");
        kafka.send(Topics.KEY_EVENTS, "key_x", key);
        kafka.flush();
        await().atMost(Duration.ofSeconds(20))
                .until(() -> jdbc.queryForObject(
                                "SELECT count(*) FROM audit_tombstone WHERE tenant_id = ?", Long.class, tenant)
                        == 1);

        assertThat(jdbc.queryForObject("SELECT current_user", String.class)).isEqualTo(AuditTestSupport.WRITER);
        // Refused by privileges, before the trigger is even reached.
        for (String sql : List.of(
                "UPDATE audit_event SET actor = 'x' WHERE tenant_id = ?",
                "DELETE FROM audit_event WHERE tenant_id = ?",
                "UPDATE audit_tombstone SET reason = 'x' WHERE tenant_id = ?",
                "DELETE FROM audit_tombstone WHERE tenant_id = ?",
                "DELETE FROM audit_chain_head WHERE tenant_id = ?")) {
            assertThatThrownBy(() -> jdbc.update(sql, tenant))
                    .as(sql)
                    .isInstanceOf(DataAccessException.class)
                    .satisfies(e -> assertThat(refusal(e)).isEqualTo("42501: permission denied"));
        }
        assertThatThrownBy(() -> jdbc.execute("TRUNCATE audit_event CASCADE"))
                .satisfies(e -> assertThat(refusal(e)).isEqualTo("42501: permission denied"));
        assertThatThrownBy(() -> jdbc.execute("ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only"))
                .satisfies(e -> assertThat(refusal(e)).isEqualTo("42501: must be owner"));
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM audit_event WHERE tenant_id = ? AND actor = 'operator'",
                        Long.class,
                        tenant))
                .isEqualTo(1);
        // The owner keeps the trigger as a second wall.
        assertThatThrownBy(() -> AuditTestSupport.superuser(databaseUrl)
                        .update("DELETE FROM audit_event WHERE tenant_id = ?", tenant))
                .satisfies(e -> assertThat(((DataAccessException) e).getMostSpecificCause())
                        .hasMessageContaining("append-only"));
    }

    /** SQL state and the start of PostgreSQL's message, e.g. {@code 42501: permission denied}. */
    private static String refusal(Throwable e) {
        SQLException cause = (SQLException) ((DataAccessException) e).getMostSpecificCause();
        String message = cause.getMessage().replaceFirst("^ERROR: ", "");
        return cause.getSQLState() + ": "
                + (message.startsWith("permission denied")
                        ? "permission denied"
                        : message.startsWith("must be owner") ? "must be owner" : message);
    }

    @Test
    void everyEndingLeavesATombstoneLinkedToItsAuditRow() throws Exception {
        String tenant = tenant();
        String killedSandbox = sandboxId();
        String expiredSandbox = sandboxId();
        Instant t = Instant.parse("2026-11-25T09:00:00Z");
        kafka.send(
                Topics.SANDBOX_EVENTS,
                killedSandbox,
                new SandboxEvent.SandboxKilled(UUID.randomUUID(), tenant, t, 1, killedSandbox, "requested", "key_7"));
        kafka.send(
                Topics.SANDBOX_EVENTS,
                expiredSandbox,
                new SandboxEvent.SandboxExpired(
                        UUID.randomUUID(), tenant, t.plusSeconds(1), 1, expiredSandbox, "system:ttl"));
        kafka.send(
                Topics.KEY_EVENTS,
                "key_7",
                new KeyEvent.ApiKeyRevoked(UUID.randomUUID(), tenant, t.plusSeconds(2), 1, "key_7", "admin_1"));
        kafka.send(
                Topics.BILLING_EVENTS,
                tenant,
                new InvoiceEvent.InvoiceVoided(
                        UUID.randomUUID(), tenant, t.plusSeconds(3), 1, "inv_1", "duplicate", "operator"));
        kafka.send(
                Topics.QUOTA_EVENTS,
                tenant,
                new QuotaEvent.HardCapBreached(
                        UUID.randomUUID(),
                        tenant,
                        t.plusSeconds(4),
                        1,
                        "prj_1",
                        "computeUnitSeconds",
                        new BigDecimal("100.5"),
                        new BigDecimal("100"),
                        "2026-11-01",
                        t.getEpochSecond() + 4));
        // Not endings: no tombstone.
        kafka.send(
                Topics.BILLING_EVENTS,
                tenant,
                new InvoiceEvent.InvoiceFinalized(
                        UUID.randomUUID(),
                        tenant,
                        t.plusSeconds(5),
                        1,
                        "inv_2",
                        "CN-1",
                        "2026-11",
                        new BigDecimal("1.25"),
                        "system:billing"));
        kafka.send(
                Topics.KEY_EVENTS,
                "key_8",
                new KeyEvent.ApiKeyCreated(
                        UUID.randomUUID(),
                        tenant,
                        t.plusSeconds(6),
                        1,
                        "key_8",
                        "ci",
                        List.of("sandboxes:create"),
                        null,
                        "a".repeat(64),
                        "admin_1"));
        kafka.flush();

        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(
                        () -> assertThat(get("/internal/audit/events", tenant).path("data"))
                                .hasSize(7));
        JsonNode all = get("/internal/audit/tombstones", tenant).path("data");
        // Four topics: no order between them, only within each.
        assertThat(all)
                .extracting(n -> n.path("resourceKind").asText())
                .containsExactlyInAnyOrder("sandbox", "sandbox", "api-key", "invoice", "quota-bucket");

        JsonNode kill = get("/internal/audit/tombstones?resourceId=" + killedSandbox, tenant)
                .path("data");
        assertThat(kill).hasSize(1);
        assertThat(kill.get(0).path("actor").asText()).isEqualTo("key_7");
        assertThat(kill.get(0).path("action").asText()).isEqualTo("sandbox.killed");
        assertThat(kill.get(0).path("reason").asText()).isEqualTo("requested");
        assertThat(Instant.parse(kill.get(0).path("occurredAt").asText())).isEqualTo(t);
        // Linked: the tombstone names the audit row, and that row has the same hash and event.
        JsonNode row = get("/internal/audit/events?resourceId=" + killedSandbox, tenant)
                .path("data")
                .get(0);
        assertThat(kill.get(0).path("auditSeq").asLong())
                .isEqualTo(row.path("seq").asLong());
        assertThat(kill.get(0).path("auditHash").asText())
                .isEqualTo(row.path("hash").asText());
        assertThat(kill.get(0).path("eventId").asText())
                .isEqualTo(row.path("eventId").asText());

        JsonNode revoke =
                get("/internal/audit/tombstones?resourceId=key_7", tenant).path("data");
        assertThat(revoke).hasSize(1);
        assertThat(revoke.get(0).path("actor").asText()).isEqualTo("admin_1");
        assertThat(revoke.get(0).path("resourceKind").asText()).isEqualTo("api-key");

        JsonNode cap = get("/internal/audit/tombstones?resourceId=project:prj_1", tenant)
                .path("data");
        assertThat(cap.get(0).path("actor").asText()).isEqualTo("system:metering");
        assertThat(cap.get(0).path("reason").asText()).contains("computeUnitSeconds", "100.5", "100");
        assertThat(get("/internal/audit/tombstones?resourceId=key_7", "another-tenant")
                        .path("data"))
                .isEmpty();
        assertThat(get("/internal/audit/verify", tenant).path("valid").asBoolean())
                .isTrue();
    }

    @Test
    void batchesOfManyTenantsChainEachTenantGaplessAndSkipRedeliveries() throws Exception {
        List<String> tenants = List.of(tenant(), tenant(), tenant());
        List<PlatformEvent> events = new ArrayList<>();
        Instant t = Instant.parse("2026-11-25T10:00:00Z");
        for (int i = 0; i < 300; i++) {
            String tenant = tenants.get(i % tenants.size());
            events.add(new CommandEvent.CommandStarted(
                    UUID.randomUUID(),
                    tenant,
                    t.plusMillis(i),
                    1,
                    "cmd_" + i,
                    "sbx_b",
                    "true",
                    "/workspace",
                    Map.of(),
                    1000,
                    null,
                    "key_b"));
        }
        for (PlatformEvent event : events) {
            kafka.send(Topics.COMMAND_EVENTS, "sbx_b", event);
        }
        for (PlatformEvent event : events.subList(0, 50)) {
            kafka.send(Topics.COMMAND_EVENTS, "sbx_b", event); // redelivered, some within the same poll
        }
        kafka.flush();
        for (String tenant : tenants) {
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(get("/internal/audit/verify", tenant)
                                    .path("checked")
                                    .asInt())
                            .isEqualTo(100));
            JsonNode verified = get("/internal/audit/verify", tenant);
            assertThat(verified.path("valid").asBoolean()).isTrue();
        }
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM audit_event WHERE tenant_id = ANY (?)", Long.class, (Object)
                                tenants.toArray(String[]::new)))
                .isEqualTo(300);
    }

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void recordsThatCannotBeChainedDoNotStopTheLog() throws Exception {
        String tenant = tenant();
        Instant t = Instant.parse("2026-11-25T11:00:00Z");
        ((KafkaTemplate) kafka).send(Topics.COMMAND_EVENTS, "sbx_p", "not an event at all");
        kafka.send(
                Topics.COMMAND_EVENTS,
                "sbx_p",
                new CommandEvent.CommandStarted(
                        null, tenant, t, 1, "cmd_no_id", "sbx_p", "true", "/workspace", Map.of(), 1000, null, "key_p"));
        // JSONB and text cannot hold NUL; the event is still recorded, NUL shown as U+FFFD.
        kafka.send(
                Topics.COMMAND_EVENTS,
                "sbx_p",
                new CommandEvent.CommandStarted(
                        UUID.randomUUID(),
                        tenant,
                        t.plusMillis(1),
                        1,
                        "cmd_nul",
                        "sbx_p",
                        "printf 'a\u0000b'",
                        "/workspace",
                        Map.of(),
                        1000,
                        null,
                        "key\u0000p"));
        kafka.send(
                Topics.COMMAND_EVENTS,
                "sbx_p",
                new CommandEvent.CommandStarted(
                        UUID.randomUUID(),
                        tenant,
                        t.plusMillis(2),
                        1,
                        "cmd_after",
                        "sbx_p",
                        "true",
                        "/workspace",
                        Map.of(),
                        1000,
                        null,
                        "key_p"));
        kafka.flush();

        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(
                        () -> assertThat(get("/internal/audit/events", tenant).path("data"))
                                .extracting(e -> e.path("resourceId").asText())
                                .containsExactly("cmd_nul", "cmd_after"));
        JsonNode nul = get("/internal/audit/events?resourceId=cmd_nul", tenant)
                .path("data")
                .get(0);
        assertThat(nul.path("payload").path("cmd").asText()).isEqualTo("printf 'a\uFFFDb'");
        assertThat(nul.path("actor").asText()).isEqualTo("key\uFFFDp");
        JsonNode verified = get("/internal/audit/verify", tenant);
        assertThat(verified.path("valid").asBoolean()).isTrue();
        assertThat(verified.path("checked").asInt()).isEqualTo(2);
    }

    private JsonNode get(String path, String tenant) throws Exception {
        HttpResponse<String> res = TestInfrastructure.getAsTenant(port, path, tenant, credential.token());
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        return json.readTree(res.body());
    }
}
