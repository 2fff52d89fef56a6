package dev.crownest.audit;

import static dev.crownest.audit.AuditTestSupport.sandboxId;
import static dev.crownest.audit.AuditTestSupport.tenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.crownest.contracts.event.CommandEvent;
import dev.crownest.contracts.event.KeyEvent;
import dev.crownest.contracts.event.NetworkMode;
import dev.crownest.contracts.event.PlatformEvent;
import dev.crownest.contracts.event.SandboxEvent;
import dev.crownest.contracts.event.Topics;
import dev.crownest.kit.auth.ServiceCredential;
import dev.crownest.testing.IntegrationTest;
import dev.crownest.testing.TestInfrastructure;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Query filters and pagination, streamed exports that verify offline, and replay against a read-model snapshot. */
@IntegrationTest(database = "audit_read_test_")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditReadIntegrationTest {
    /**
     * Stand-in for sandbox-service's {@code GET /internal/read-models/snapshot}: the one stand-in in
     * these tests, because a module test cannot run sandbox-service (its Axon store and projections).
     * The real endpoint is exercised by the end-to-end tests of the whole stack. It answers, per
     * tenant header, whatever snapshot a test put in {@link #SNAPSHOTS}.
     */
    private static final HttpServer SANDBOX_SERVICE = sandboxServiceStandIn();

    private static final Map<String, String> SNAPSHOTS = new ConcurrentHashMap<>();
    private static final String GENESIS = "0".repeat(64);
    /** The tenant for whom the stand-in fails, as a sandbox-service in trouble would. */
    private static final String BROKEN = "tenant-whose-snapshot-fails";

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        AuditTestSupport.writeAsTestRole(registry);
        registry.add(
                "crownest.sandbox-service.url",
                () -> "http://127.0.0.1:" + SANDBOX_SERVICE.getAddress().getPort());
        registry.add("crownest.audit.export.fetch-size", () -> "3"); // several cursor round trips even for small ranges
    }

    @LocalServerPort
    int port;

    @Autowired
    ServiceCredential credential;

    @Autowired
    KafkaTemplate<String, PlatformEvent> kafka;

    @Autowired
    ObjectMapper json;

    @Value("${spring.datasource.url}")
    String databaseUrl;

    final String tenant = tenant();
    final String sandboxA = sandboxId();
    final String sandboxB = sandboxId();
    final Instant t = Instant.parse("2026-11-25T08:00:00Z");

    /** One tenant's story, shared by the query and export tests (read-only on it). */
    @BeforeAll
    void recordAStory() throws Exception {
        List<PlatformEvent> story = List.of(
                created(tenant, sandboxA, "prj_1", t, "key_1"),
                new SandboxEvent.SandboxStarted(
                        UUID.randomUUID(), tenant, t.plusSeconds(1), 1, sandboxA, "node_1", "node_1"),
                new CommandEvent.CommandStarted(
                        UUID.randomUUID(),
                        tenant,
                        t.plusSeconds(2),
                        1,
                        "cmd_1",
                        sandboxA,
                        "echo \"a, b\"\nls",
                        "/workspace",
                        Map.of(),
                        1000,
                        null,
                        "key_2"), // quotes, comma, line break
                created(tenant, sandboxB, null, t.plusSeconds(3), "key_2"),
                new SandboxEvent.SandboxKilled(
                        UUID.randomUUID(), tenant, t.plusSeconds(4), 1, sandboxB, "requested", "key_2"),
                new KeyEvent.ApiKeyRevoked(UUID.randomUUID(), tenant, t.plusSeconds(5), 1, "key_2", "operator"));
        // One at a time: three topics give no order between each other, and the tests count on seq 1..6.
        for (int i = 0; i < story.size(); i++) {
            send(story.get(i));
            kafka.flush();
            int expected = i + 1;
            await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> assertThat(
                                    get("/internal/audit/events", tenant).path("data"))
                            .hasSize(expected));
        }
    }

    @AfterAll
    void stopStandIn() {
        SANDBOX_SERVICE.stop(0);
    }

    @Test
    void eachFilterNarrowsTheRows() throws Exception {
        assertThat(seqs("resourceId=" + sandboxA)).containsExactly(1L, 2L);
        assertThat(seqs("actor=key_2")).containsExactly(3L, 4L, 5L);
        assertThat(seqs("action=sandbox.created")).containsExactly(1L, 4L);
        assertThat(seqs("from=" + t.plusSeconds(2))).containsExactly(3L, 4L, 5L, 6L);
        assertThat(seqs("to=" + t.plusSeconds(2))).containsExactly(1L, 2L);
        assertThat(seqs("from=" + t.plusSeconds(1) + "&to=" + t.plusSeconds(4))).containsExactly(2L, 3L, 4L);
        assertThat(seqs("actor=key_2&action=sandbox.killed")).containsExactly(5L);
        assertThat(seqs("resourceId=nothing-like-it")).isEmpty();
        assertThat(get("/internal/audit/events?actor=key_2", "another-tenant").path("data"))
                .isEmpty();
    }

    @Test
    void pagesFollowTheCursorToTheEnd() throws Exception {
        List<Long> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = get("/internal/audit/events?limit=4" + (cursor == null ? "" : "&cursor=" + cursor), tenant);
            page.path("data").forEach(e -> seen.add(e.path("seq").asLong()));
            cursor = page.hasNonNull("nextCursor") ? page.path("nextCursor").asText() : null;
            pages++;
        } while (cursor != null && pages < 10);
        assertThat(pages).isEqualTo(2);
        assertThat(seen).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        // The cursor combines with filters.
        JsonNode first = get("/internal/audit/events?actor=key_2&limit=2", tenant);
        assertThat(first.path("nextCursor").asLong()).isEqualTo(4L);
        assertThat(seqs("actor=key_2&limit=2&cursor=4")).containsExactly(5L);
        // Exactly a full last page: no next cursor.
        assertThat(get("/internal/audit/events?limit=6", tenant).hasNonNull("nextCursor"))
                .isFalse();
    }

    @Test
    void badQueriesAreRefusedInTheOneErrorShape() throws Exception {
        Map<String, String> expected = Map.of(
                "from=yesterday",
                "invalid_time_range",
                "to=2026-11-25",
                "invalid_time_range",
                "from=" + t.plusSeconds(5) + "&to=" + t,
                "invalid_time_range",
                "limit=0",
                "invalid_limit",
                "limit=1001",
                "invalid_limit",
                "limit=ten",
                "invalid_limit",
                "cursor=-1",
                "invalid_cursor",
                "cursor=abc",
                "invalid_cursor");
        for (Map.Entry<String, String> bad : expected.entrySet()) {
            HttpResponse<String> res = TestInfrastructure.getAsTenant(
                    port, "/internal/audit/events?" + bad.getKey(), tenant, credential.token());
            assertThat(res.statusCode()).as(bad.getKey()).isEqualTo(400);
            JsonNode error = json.readTree(res.body()).path("error");
            assertThat(error.path("type").asText()).isEqualTo("invalid_request");
            assertThat(error.path("code").asText()).as(bad.getKey()).isEqualTo(bad.getValue());
            assertThat(error.path("message").asText()).isNotBlank();
            assertThat(res.body()).doesNotContain("Exception", "at dev.");
        }
        HttpResponse<String> export =
                TestInfrastructure.getAsTenant(port, "/internal/audit/export?format=xml", tenant, credential.token());
        assertThat(export.statusCode()).isEqualTo(400);
        assertThat(json.readTree(export.body()).path("error").path("code").asText())
                .isEqualTo("invalid_format");
        assertThat(TestInfrastructure.getAsTenant(port, "/internal/audit/export?from=soon", tenant, credential.token())
                        .statusCode())
                .isEqualTo(400);
        assertThat(TestInfrastructure.getAsTenant(
                                port, "/internal/audit/tombstones?limit=-3", tenant, credential.token())
                        .statusCode())
                .isEqualTo(400);
    }

    @Test
    void csvExportStreamsTheRangeAndItsChainVerifiesOffline() throws Exception {
        HttpResponse<String> res = TestInfrastructure.getAsTenant(
                port,
                "/internal/audit/export?format=csv&from=" + t.plusSeconds(1) + "&to=" + t.plusSeconds(5),
                tenant,
                credential.token());
        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(res.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/csv");
        // Streamed: chunked, no length known up front.
        assertThat(res.headers().firstValue("Content-Length")).isEmpty();
        List<List<String>> lines = parseCsv(res.body());
        assertThat(lines.getFirst())
                .containsExactly(
                        "tenantId",
                        "seq",
                        "eventId",
                        "action",
                        "resourceId",
                        "actor",
                        "occurredAt",
                        "payload",
                        "prevHash",
                        "hash");
        List<Map<String, String>> rows = new ArrayList<>();
        for (List<String> line : lines.subList(1, lines.size())) {
            Map<String, String> row = new HashMap<>();
            for (int i = 0; i < line.size(); i++) {
                row.put(lines.getFirst().get(i), line.get(i));
            }
            rows.add(row);
        }
        assertThat(rows).extracting(r -> r.get("seq")).containsExactly("2", "3", "4", "5");
        assertThat(rows.get(1).get("payload")).contains("echo \\\"a, b\\\"\\nls");
        assertChainVerifies(rows, rows.getFirst().get("prevHash"));
        // The range links to the rest of the chain: its first prevHash is row 1's hash.
        assertThat(rows.getFirst().get("prevHash"))
                .isEqualTo(get("/internal/audit/events?limit=1", tenant)
                        .path("data")
                        .get(0)
                        .path("hash")
                        .asText());
    }

    @Test
    void jsonExportOfTheWholeChainVerifiesOfflineFromGenesis() throws Exception {
        HttpResponse<String> res =
                TestInfrastructure.getAsTenant(port, "/internal/audit/export?format=json", tenant, credential.token());
        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(res.headers().firstValue("Content-Length")).isEmpty();
        List<Map<String, String>> rows = new ArrayList<>();
        for (JsonNode node : json.readTree(res.body())) {
            Map<String, String> row = new HashMap<>();
            node.fields().forEachRemaining(f -> row.put(f.getKey(), f.getValue().asText()));
            rows.add(row);
        }
        assertThat(rows).extracting(r -> r.get("seq")).containsExactly("1", "2", "3", "4", "5", "6");
        assertChainVerifies(rows, GENESIS);
        // An edited export no longer verifies.
        rows.get(2).put("actor", "someone-else");
        Assertions.assertThatThrownBy(() -> assertChainVerifies(rows, GENESIS)).isInstanceOf(AssertionError.class);
        assertThat(get("/internal/audit/export?format=json", "another-tenant").size())
                .isZero();
    }

    @Test
    void replayMatchesALiveSnapshotThatAgreesAndListsWhereOneDiffers() throws Exception {
        String other = tenant();
        String running = sandboxId(),
                killed = sandboxId(),
                failed = sandboxId(),
                expired = sandboxId(),
                future = sandboxId();
        Instant now = Instant.now();
        send(created(other, running, "prj_9", now.minusSeconds(60), "key_a"));
        send(new SandboxEvent.SandboxStarted(
                UUID.randomUUID(), other, now.minusSeconds(59), 1, running, "node_1", "node_1"));
        send(created(other, killed, null, now.minusSeconds(58), "key_a"));
        send(new SandboxEvent.SandboxKilled(
                UUID.randomUUID(), other, now.minusSeconds(57), 1, killed, "requested", "key_a"));
        send(created(other, failed, null, now.minusSeconds(56), "key_a"));
        send(new SandboxEvent.SandboxFailed(
                UUID.randomUUID(), other, now.minusSeconds(55), 1, failed, "no node", "system"));
        send(created(other, expired, "prj_9", now.minusSeconds(54), "key_a"));
        send(new SandboxEvent.SandboxExpired(UUID.randomUUID(), other, now.minusSeconds(53), 1, expired, "system:ttl"));
        send(new KeyEvent.ApiKeyCreated(
                UUID.randomUUID(),
                other,
                now.minusSeconds(52),
                1,
                "key_a",
                "a",
                List.of("sandboxes:create"),
                null,
                "b".repeat(64),
                "admin"));
        send(new KeyEvent.ApiKeyCreated(
                UUID.randomUUID(),
                other,
                now.minusSeconds(51),
                1,
                "key_b",
                "b",
                List.of("sandboxes:read"),
                null,
                "c".repeat(64),
                "admin"));
        send(new KeyEvent.ApiKeyRevoked(UUID.randomUUID(), other, now.minusSeconds(50), 1, "key_b", "admin"));
        // Newer than any replay's start: left out of the replayed models.
        send(created(other, future, null, now.plusSeconds(3600), "key_a"));
        kafka.flush();
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(
                        () -> assertThat(get("/internal/audit/events", other).path("data"))
                                .hasSize(12));

        SNAPSHOTS.put(other, """
                {"sandboxes":[{"id":"%s","status":"running","projectId":"prj_9"},{"id":"%s","status":"killed","projectId":null},
                              {"id":"%s","status":"failed"},{"id":"%s","status":"expired","projectId":"prj_9"}],
                 "keys":[{"id":"key_a","revoked":false},{"id":"key_b","revoked":true}]}""".formatted(running, killed, failed, expired));
        JsonNode same = replay(other);
        assertThat(same.path("chainValid").asBoolean()).isTrue();
        assertThat(same.path("equal").asBoolean()).as(same.toString()).isTrue();
        assertThat(same.path("checked").path("sandboxes").asInt()).isEqualTo(4);
        assertThat(same.path("checked").path("keys").asInt()).isEqualTo(2);
        assertThat(same.path("differences")).isEmpty();

        String liveOnly = sandboxId();
        SNAPSHOTS.put(other, """
                {"sandboxes":[{"id":"%s","status":"killed","projectId":"prj_9"},{"id":"%s","status":"killed"},
                              {"id":"%s","status":"failed"},{"id":"%s","status":"expired","projectId":"prj_9"},
                              {"id":"%s","status":"running"}],
                 "keys":[{"id":"key_a","revoked":true},{"id":"key_b","revoked":true}]}""".formatted(running, killed, failed, expired, liveOnly));
        JsonNode differs = replay(other);
        assertThat(differs.path("chainValid").asBoolean()).isTrue();
        assertThat(differs.path("equal").asBoolean()).isFalse();
        assertThat(differs.path("checked").path("sandboxes").asInt()).isEqualTo(5);
        JsonNode differences = differs.path("differences");
        assertThat(differences).hasSize(3);
        JsonNode status = find(differences, running);
        assertThat(status.path("resource").asText()).isEqualTo("sandbox");
        assertThat(status.path("replayed").path("status").asText()).isEqualTo("running");
        assertThat(status.path("live").path("status").asText()).isEqualTo("killed");
        JsonNode missing = find(differences, liveOnly);
        assertThat(missing.path("replayed").isNull()).isTrue();
        assertThat(missing.path("live").path("status").asText()).isEqualTo("running");
        JsonNode key = find(differences, "key_a");
        assertThat(key.path("resource").asText()).isEqualTo("key");
        assertThat(key.path("replayed").path("revoked").asBoolean()).isFalse();
        assertThat(key.path("live").path("revoked").asBoolean()).isTrue();

        // A chain that no longer verifies is not replayed at all.
        JdbcTemplate owner = AuditTestSupport.superuser(databaseUrl);
        owner.execute("ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only");
        owner.update("UPDATE audit_event SET actor = 'nobody' WHERE tenant_id = ? AND seq = 3", other);
        owner.execute("ALTER TABLE audit_event ENABLE TRIGGER audit_event_append_only");
        JsonNode broken = replay(other);
        assertThat(broken.path("chainValid").asBoolean()).isFalse();
        assertThat(broken.path("equal").asBoolean()).isFalse();
        assertThat(broken.path("firstInvalidSeq").asLong()).isEqualTo(3);
    }

    @Test
    void aFailedPauseOrResumeIsAuditedAsSuchAndReplaysAsTheStateItLeft() throws Exception {
        String other = tenant();
        String pauseFailed = sandboxId(), resumeFailed = sandboxId();
        Instant now = Instant.now();
        send(created(other, pauseFailed, null, now.minusSeconds(60), "key_a"));
        send(new SandboxEvent.SandboxStarted(
                UUID.randomUUID(), other, now.minusSeconds(59), 1, pauseFailed, "node_1", "node_1"));
        send(new SandboxEvent.SandboxPaused(
                UUID.randomUUID(), other, now.minusSeconds(58), 1, pauseFailed, "key_a", "snp_a", 1000L));
        send(new SandboxEvent.SandboxPauseFailed(
                UUID.randomUUID(), other, now.minusSeconds(57), 1, pauseFailed, "checkpoint failed", "node"));
        send(created(other, resumeFailed, null, now.minusSeconds(56), "key_a"));
        send(new SandboxEvent.SandboxStarted(
                UUID.randomUUID(), other, now.minusSeconds(55), 1, resumeFailed, "node_1", "node_1"));
        send(new SandboxEvent.SandboxPaused(
                UUID.randomUUID(), other, now.minusSeconds(54), 1, resumeFailed, "key_a", "snp_b", 1000L));
        send(new SandboxEvent.SandboxResumed(
                UUID.randomUUID(), other, now.minusSeconds(53), 1, resumeFailed, "key_a", "snp_b", now));
        send(new SandboxEvent.SandboxResumeFailed(
                UUID.randomUUID(), other, now.minusSeconds(52), 1, resumeFailed, "restore failed", "node"));
        kafka.flush();
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(
                        () -> assertThat(get("/internal/audit/events", other).path("data"))
                                .hasSize(9));

        List<String> failures = new ArrayList<>();
        for (JsonNode row : get("/internal/audit/events", other).path("data")) {
            if (row.path("action").asText().endsWith("_failed")) {
                assertThat(row.path("actor").asText()).isEqualTo("node");
                failures.add(row.path("action").asText() + " "
                        + row.path("resourceId").asText());
            }
        }
        assertThat(failures)
                .containsExactlyInAnyOrder(
                        "sandbox.pause_failed " + pauseFailed, "sandbox.resume_failed " + resumeFailed);

        SNAPSHOTS.put(other, """
                {"sandboxes":[{"id":"%s","status":"running"},{"id":"%s","status":"paused"}],"keys":[]}""".formatted(pauseFailed, resumeFailed));
        JsonNode same = replay(other);
        assertThat(same.path("chainValid").asBoolean()).isTrue();
        assertThat(same.path("equal").asBoolean()).as(same.toString()).isTrue();
        assertThat(same.path("checked").path("sandboxes").asInt()).isEqualTo(2);

        // a live model that took the failed pause for a pause differs from the log
        SNAPSHOTS.put(other, """
                {"sandboxes":[{"id":"%s","status":"paused"},{"id":"%s","status":"paused"}],"keys":[]}""".formatted(pauseFailed, resumeFailed));
        JsonNode differs = replay(other);
        assertThat(differs.path("equal").asBoolean()).isFalse();
        JsonNode difference = find(differs.path("differences"), pauseFailed);
        assertThat(difference.path("replayed").path("status").asText()).isEqualTo("running");
        assertThat(difference.path("live").path("status").asText()).isEqualTo("paused");
    }

    @Test
    void replayWithoutTheLiveSnapshotIsABadGatewayInTheOneErrorShape() throws Exception {
        HttpResponse<String> res = AuditTestSupport.post(port, "/internal/audit/replay", BROKEN, credential);
        assertThat(res.statusCode()).isEqualTo(502);
        JsonNode error = json.readTree(res.body()).path("error");
        assertThat(error.path("code").asText()).isEqualTo("read_models_unavailable");
        assertThat(res.body()).doesNotContain("Exception");

        HttpResponse<String> anonymous = HttpClient.newHttpClient()
                .send(
                        credential
                                .sign(HttpRequest.newBuilder(
                                        URI.create("http://127.0.0.1:" + port + "/internal/audit/replay")))
                                .POST(HttpRequest.BodyPublishers.noBody())
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(json.readTree(anonymous.body()).path("error").path("code").asText())
                .isEqualTo("missing_tenant");
    }

    private JsonNode replay(String tenant) throws Exception {
        HttpResponse<String> res = AuditTestSupport.post(port, "/internal/audit/replay", tenant, credential);
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        return json.readTree(res.body());
    }

    private static JsonNode find(JsonNode differences, String id) {
        for (JsonNode d : differences) {
            if (d.path("id").asText().equals(id)) {
                return d;
            }
        }
        throw new AssertionError("no difference for " + id + " in " + differences);
    }

    /** What an auditor does offline: recompute each hash from the exported texts and follow prevHash. */
    private static void assertChainVerifies(List<Map<String, String>> rows, String firstPrev) throws Exception {
        String prev = firstPrev;
        for (Map<String, String> row : rows) {
            assertThat(row.get("prevHash"))
                    .as("prevHash of seq " + row.get("seq"))
                    .isEqualTo(prev);
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String field : List.of(
                    "prevHash",
                    "tenantId",
                    "seq",
                    "eventId",
                    "action",
                    "resourceId",
                    "actor",
                    "occurredAt",
                    "payload")) {
                sha.update(row.get(field).getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0x1f);
            }
            assertThat(HexFormat.of().formatHex(sha.digest()))
                    .as("hash of seq " + row.get("seq"))
                    .isEqualTo(row.get("hash"));
            prev = row.get("hash");
        }
    }

    /** RFC 4180, enough for the export: quoted fields may hold commas, doubled quotes and line breaks. */
    private static List<List<String>> parseCsv(String text) {
        List<List<String>> lines = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
            } else if (c == '\r') {
                // part of the CRLF line end
            } else if (c == '\n') {
                fields.add(field.toString());
                field.setLength(0);
                lines.add(fields);
                fields = new ArrayList<>();
            } else {
                field.append(c);
            }
        }
        return lines;
    }

    private List<Long> seqs(String query) throws Exception {
        List<Long> seqs = new ArrayList<>();
        get("/internal/audit/events?" + query, tenant)
                .path("data")
                .forEach(e -> seqs.add(e.path("seq").asLong()));
        return seqs;
    }

    private void send(PlatformEvent event) {
        String topic = switch (event) {
            case SandboxEvent e -> Topics.SANDBOX_EVENTS;
            case KeyEvent e -> Topics.KEY_EVENTS;
            default -> Topics.COMMAND_EVENTS;
        };
        kafka.send(topic, event.tenantId(), event);
    }

    private static SandboxEvent.SandboxCreated created(
            String tenant, String sandbox, String project, Instant at, String actor) {
        return new SandboxEvent.SandboxCreated(
                UUID.randomUUID(),
                tenant,
                at,
                1,
                sandbox,
                project,
                "base",
                60000,
                at.plusSeconds(60),
                NetworkMode.OFF,
                List.of(),
                1,
                512,
                1024,
                Map.of(),
                Map.of(),
                actor);
    }

    private JsonNode get(String path, String tenant) throws Exception {
        HttpResponse<String> res = TestInfrastructure.getAsTenant(port, path, tenant, credential.token());
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        return json.readTree(res.body());
    }

    private static HttpServer sandboxServiceStandIn() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/internal/read-models/snapshot", exchange -> {
                String tenant = exchange.getRequestHeaders().getFirst("X-CrowNest-Tenant");
                if (BROKEN.equals(tenant)) {
                    exchange.sendResponseHeaders(500, -1);
                    exchange.close();
                    return;
                }
                byte[] body = SNAPSHOTS
                        .getOrDefault(tenant == null ? "" : tenant, "{\"sandboxes\":[],\"keys\":[]}")
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(tenant == null ? 401 : 200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
