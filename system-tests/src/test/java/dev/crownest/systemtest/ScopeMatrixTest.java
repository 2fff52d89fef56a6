package dev.crownest.systemtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crownest.contracts.event.Topics;
import dev.crownest.contracts.security.Scopes;
import dev.crownest.sdk.CrowNest;
import dev.crownest.sdk.RawResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Identity end to end, through the public API only: the operator creates two tenants, tenant A's
 * admin creates two projects and keys, and for EVERY tenant route of the gateway's table a key
 * without the route's scope is refused (403), another tenant's sandbox is not found (404) and so is
 * another project's under a project-restricted key (404). The route list below must equal the
 * gateway's table (read from PublicRoutes.java), so a new route cannot be forgotten here.
 * Keys cannot mint keys, a revoked key is refused within a second, and no secret is ever shown
 * again: not in GET /v1/keys, not in the audit trail.
 */
class ScopeMatrixTest {

    /** Where a route names a sandbox: in its path, in its query, or nowhere (tenant-wide). */
    enum Target {
        PATH,
        LIST,
        /** A live feed of the list: it never ends, so only its refusals are checked here. */
        STREAM,
        CREATE,
        TENANT_WIDE
    }

    /** How to call a route: its path with {id} for the sandbox and {cid} for a command of it, and a body. */
    record Probe(Target target, String path, String body) {
        String path(String sandboxId, String commandId) {
            return path.replace("{id}", sandboxId).replace("{cid}", commandId == null ? "cmd_none" : commandId);
        }
    }

    /** Every tenant route, as "METHOD /pattern"; must equal the gateway's table. */
    private static final Map<String, Probe> ROUTES = new LinkedHashMap<>();

    static {
        ROUTES.put(
                "POST /v1/sandboxes",
                new Probe(Target.CREATE, "/v1/sandboxes", "{\"template\":\"base\",\"ttlMs\":60000}"));
        ROUTES.put("GET /v1/sandboxes", new Probe(Target.LIST, "/v1/sandboxes", null));
        ROUTES.put("GET /v1/sandboxes/events", new Probe(Target.STREAM, "/v1/sandboxes/events", null));
        ROUTES.put("GET /v1/sandboxes/{id}", new Probe(Target.PATH, "/v1/sandboxes/{id}", null));
        ROUTES.put("DELETE /v1/sandboxes/{id}", new Probe(Target.PATH, "/v1/sandboxes/{id}", null));
        ROUTES.put(
                "POST /v1/sandboxes/{id}/commands",
                new Probe(Target.PATH, "/v1/sandboxes/{id}/commands", "{\"cmd\":\"true\"}"));
        ROUTES.put("GET /v1/sandboxes/{id}/commands", new Probe(Target.PATH, "/v1/sandboxes/{id}/commands", null));
        ROUTES.put(
                "GET /v1/sandboxes/{id}/commands/{cid}",
                new Probe(Target.PATH, "/v1/sandboxes/{id}/commands/{cid}", null));
        ROUTES.put(
                "GET /v1/sandboxes/{id}/commands/{cid}/stream",
                new Probe(Target.PATH, "/v1/sandboxes/{id}/commands/{cid}/stream", null));
        ROUTES.put(
                "POST /v1/sandboxes/{id}/commands/{cid}/cancel",
                new Probe(Target.PATH, "/v1/sandboxes/{id}/commands/{cid}/cancel", "{}"));
        ROUTES.put(
                "GET /v1/sandboxes/{id}/commands/ws", new Probe(Target.PATH, "/v1/sandboxes/{id}/commands/ws", null));
        ROUTES.put("GET /v1/sandboxes/{id}/pty", new Probe(Target.PATH, "/v1/sandboxes/{id}/pty", null));
        ROUTES.put("POST /v1/sandboxes/{id}/pause", new Probe(Target.PATH, "/v1/sandboxes/{id}/pause", "{}"));
        ROUTES.put("POST /v1/sandboxes/{id}/resume", new Probe(Target.PATH, "/v1/sandboxes/{id}/resume", "{}"));
        ROUTES.put(
                "POST /v1/sandboxes/{id}/ttl", new Probe(Target.PATH, "/v1/sandboxes/{id}/ttl", "{\"ttlMs\":600000}"));
        // snapshots: another tenant's snapshot is 404 snapshot_not_found (SnapshotsAndForksTest)
        ROUTES.put("GET /v1/snapshots", new Probe(Target.TENANT_WIDE, "/v1/snapshots?sandboxId={id}", null));
        ROUTES.put("GET /v1/snapshots/{id}", new Probe(Target.TENANT_WIDE, "/v1/snapshots/snp_none", null));
        ROUTES.put("DELETE /v1/snapshots/{id}", new Probe(Target.TENANT_WIDE, "/v1/snapshots/snp_none", null));
        ROUTES.put("GET /v1/usage", new Probe(Target.TENANT_WIDE, "/v1/usage?sandboxId={id}", null));
        ROUTES.put("GET /v1/usage/export", new Probe(Target.TENANT_WIDE, "/v1/usage/export?format=json", null));
        ROUTES.put("GET /v1/quotas", new Probe(Target.TENANT_WIDE, "/v1/quotas", null));
        ROUTES.put("GET /v1/invoices", new Probe(Target.TENANT_WIDE, "/v1/invoices", null));
        ROUTES.put("GET /v1/invoices/{id}", new Probe(Target.TENANT_WIDE, "/v1/invoices/inv_none", null));
        ROUTES.put("GET /v1/credits", new Probe(Target.TENANT_WIDE, "/v1/credits", null));
        ROUTES.put("GET /v1/audit/events", new Probe(Target.TENANT_WIDE, "/v1/audit/events?resourceId={id}", null));
        ROUTES.put("GET /v1/audit/verify", new Probe(Target.TENANT_WIDE, "/v1/audit/verify", null));
        ROUTES.put(
                "GET /v1/audit/tombstones",
                new Probe(Target.TENANT_WIDE, "/v1/audit/tombstones?resourceId={id}", null));
        ROUTES.put("GET /v1/audit/export", new Probe(Target.TENANT_WIDE, "/v1/audit/export?format=json", null));
        ROUTES.put("GET /v1/sandboxes/{id}/egress", new Probe(Target.PATH, "/v1/sandboxes/{id}/egress", null));
        ROUTES.put("POST /v1/audit/replay", new Probe(Target.TENANT_WIDE, "/v1/audit/replay", "{}"));
        // files (FilesApiTest has the rest)
        ROUTES.put("GET /v1/sandboxes/{id}/files", new Probe(Target.PATH, "/v1/sandboxes/{id}/files?path=a.txt", null));
        ROUTES.put(
                "PUT /v1/sandboxes/{id}/files",
                new Probe(Target.PATH, "/v1/sandboxes/{id}/files?path=a.txt", "{\"a\":1}"));
        ROUTES.put(
                "POST /v1/sandboxes/{id}/files",
                new Probe(Target.PATH, "/v1/sandboxes/{id}/files?path=a.txt", "{\"a\":1}"));
        ROUTES.put(
                "DELETE /v1/sandboxes/{id}/files", new Probe(Target.PATH, "/v1/sandboxes/{id}/files?path=a.txt", null));
        ROUTES.put("GET /v1/sandboxes/{id}/files/list", new Probe(Target.PATH, "/v1/sandboxes/{id}/files/list", null));
        ROUTES.put(
                "POST /v1/sandboxes/{id}/files/mkdir",
                new Probe(Target.PATH, "/v1/sandboxes/{id}/files/mkdir?path=d", null));
        ROUTES.put(
                "POST /v1/sandboxes/{id}/files/move",
                new Probe(Target.PATH, "/v1/sandboxes/{id}/files/move?from=a.txt&to=b.txt", null));
        ROUTES.put(
                "POST /v1/sandboxes/{id}/files/upload-url",
                new Probe(Target.PATH, "/v1/sandboxes/{id}/files/upload-url", "{\"path\":\"a.txt\"}"));
        ROUTES.put(
                "POST /v1/sandboxes/{id}/files/download-url",
                new Probe(Target.PATH, "/v1/sandboxes/{id}/files/download-url", "{\"path\":\"a.txt\"}"));
        // artifacts (the sandbox is checked before the artifact id, so a made-up id still shows the 404 of the sandbox)
        ROUTES.put("GET /v1/sandboxes/{id}/artifacts", new Probe(Target.PATH, "/v1/sandboxes/{id}/artifacts", null));
        ROUTES.put(
                "GET /v1/sandboxes/{id}/artifacts/{aid}",
                new Probe(Target.PATH, "/v1/sandboxes/{id}/artifacts/art_none", null));
        ROUTES.put(
                "GET /v1/sandboxes/{id}/artifacts/{aid}/content",
                new Probe(Target.PATH, "/v1/sandboxes/{id}/artifacts/art_none/content", null));
        // previews (a preview itself is on its own host, in no route table: PreviewTest covers its credentials)
        ROUTES.put(
                "POST /v1/sandboxes/{id}/previews",
                new Probe(Target.PATH, "/v1/sandboxes/{id}/previews", "{\"port\":8000}"));
        ROUTES.put("GET /v1/sandboxes/{id}/previews", new Probe(Target.PATH, "/v1/sandboxes/{id}/previews", null));
        ROUTES.put(
                "GET /v1/sandboxes/{id}/previews/{pid}",
                new Probe(Target.PATH, "/v1/sandboxes/{id}/previews/prv_none", null));
        ROUTES.put(
                "DELETE /v1/sandboxes/{id}/previews/{pid}",
                new Probe(Target.PATH, "/v1/sandboxes/{id}/previews/prv_none", null));
        ROUTES.put(
                "POST /v1/sandboxes/{id}/previews/{pid}/tokens",
                new Probe(Target.PATH, "/v1/sandboxes/{id}/previews/prv_none/tokens", "{}"));
        // templates: probes that change nothing (a create refused for its input, reads and a delete of none)
        ROUTES.put("GET /v1/templates", new Probe(Target.TENANT_WIDE, "/v1/templates", null));
        ROUTES.put("POST /v1/templates", new Probe(Target.TENANT_WIDE, "/v1/templates", "{}"));
        ROUTES.put("GET /v1/templates/{name}", new Probe(Target.TENANT_WIDE, "/v1/templates/base", null));
        ROUTES.put("GET /v1/templates/{name}/logs", new Probe(Target.TENANT_WIDE, "/v1/templates/none/logs", null));
        ROUTES.put("DELETE /v1/templates/{name}", new Probe(Target.TENANT_WIDE, "/v1/templates/none", null));
    }

    private static final Pattern TENANT_ROUTE =
            // whitespace as the formatter lays it out: an ApiRoute's arguments may each stand on a line
            Pattern.compile("new ApiRoute\\(\\s*(GET|POST|PUT|DELETE|PATCH),\\s*\"([^\"]+)\",\\s*Scopes\\.(\\w+)");

    private static CrowNest operator;
    private static CrowNest adminA;
    private static CrowNest adminB;
    private static String tenantA;
    private static String tenantB;
    private static String projectOne;
    private static String projectTwo;
    private static String projectOfB;
    /** Route key → scope, as the gateway's table has it. */
    private static Map<String, String> table;

    private static final List<String> secrets = new ArrayList<>();
    /** Key id of each client made by {@link #key}. */
    private static final Map<CrowNest, String> keyIds = new IdentityHashMap<>();

    @BeforeAll
    static void twoTenantsWithProjects() throws IOException {
        table = gatewayTenantRoutes();
        operator = SystemUnderTest.operator();
        String run = UUID.randomUUID().toString().substring(0, 8);
        JsonNode a =
                created(operator.http().send("POST", "/v1/tenants", Map.of("name", "scope-a-" + run, "plan", "pro")));
        JsonNode b =
                created(operator.http().send("POST", "/v1/tenants", Map.of("name", "scope-b-" + run, "plan", "free")));
        tenantA = a.path("id").asText();
        tenantB = b.path("id").asText();
        secrets.add(a.path("adminToken").asText());
        secrets.add(b.path("adminToken").asText());
        adminA = SystemUnderTest.withSession(a.path("adminToken").asText());
        adminB = SystemUnderTest.withSession(b.path("adminToken").asText());
        projectOne = created(adminA.http().send("POST", "/v1/projects", Map.of("name", "one")))
                .path("id")
                .asText();
        projectTwo = created(adminA.http().send("POST", "/v1/projects", Map.of("name", "two")))
                .path("id")
                .asText();
        projectOfB = created(adminB.http().send("POST", "/v1/projects", Map.of("name", "one")))
                .path("id")
                .asText();
    }

    @Test
    void theRouteListHereIsTheGatewaysTable() {
        assertThat(new TreeSet<>(ROUTES.keySet()))
                .as("a new route needs its probe here")
                .isEqualTo(new TreeSet<>(table.keySet()));
        assertThat(Scopes.ALL).containsAll(table.values());
    }

    @Test
    void everyTenantRouteChecksItsScopeAndHidesOtherTenantsAndProjects() {
        assertThat(new TreeSet<>(ROUTES.keySet())).isEqualTo(new TreeSet<>(table.keySet()));
        CrowNest fullA = key(adminA, "full", Scopes.ALL, null);
        CrowNest onlyOne = key(adminA, "project one", Scopes.ALL, projectOne);
        CrowNest fullB = key(adminB, "full", Scopes.ALL, null);

        String inOne =
                running(onlyOne.http().send("POST", "/v1/sandboxes", Map.of("template", "base", "ttlMs", 300000)));
        String inTwo = running(fullA.http()
                .send("POST", "/v1/sandboxes", Map.of("template", "base", "ttlMs", 300000, "projectId", projectTwo)));
        String ofB = running(fullB.http().send("POST", "/v1/sandboxes", Map.of("template", "base", "ttlMs", 300000)));
        String commandInTwo =
                finished(fullA.http().send("POST", "/v1/sandboxes/" + inTwo + "/commands", Map.of("cmd", "true")));
        String commandOfB =
                finished(fullB.http().send("POST", "/v1/sandboxes/" + ofB + "/commands", Map.of("cmd", "true")));
        String commandInOne =
                finished(onlyOne.http().send("POST", "/v1/sandboxes/" + inOne + "/commands", Map.of("cmd", "true")));

        // a key lacking exactly one scope, for each scope the table uses
        Map<String, CrowNest> without = new LinkedHashMap<>();
        for (String scope : new TreeSet<>(table.values())) {
            List<String> rest = new ArrayList<>(Scopes.ALL);
            rest.remove(scope);
            without.put(scope, key(adminA, "without " + scope, rest, null));
        }

        List<String> checked = new ArrayList<>();
        for (Map.Entry<String, String> route : table.entrySet()) {
            String method = route.getKey().substring(0, route.getKey().indexOf(' '));
            Probe probe = ROUTES.get(route.getKey());
            String scope = route.getValue();

            // 1. without its scope: 403, whatever the resource
            var refused = without.get(scope).http().send(method, probe.path(inOne, commandInOne), probe.body());
            assertError(refused, 403, "missing_scope", route.getKey());
            checked.add(route.getKey() + " 403");

            switch (probe.target()) {
                case PATH -> {
                    // 2. another tenant's sandbox: 404 even with every scope
                    assertError(
                            fullA.http().send(method, probe.path(ofB, commandOfB), probe.body()),
                            404,
                            "sandbox_not_found",
                            route.getKey());
                    // 3. another project's sandbox under a project-restricted key: 404
                    assertError(
                            onlyOne.http().send(method, probe.path(inTwo, commandInTwo), probe.body()),
                            404,
                            "sandbox_not_found",
                            route.getKey());
                    checked.add(route.getKey() + " 404 tenant, 404 project");
                }
                case LIST -> {
                    assertThat(ids(fullA.http().send("GET", probe.path())))
                            .as(route.getKey())
                            .contains(inOne, inTwo)
                            .doesNotContain(ofB);
                    assertThat(ids(onlyOne.http().send("GET", probe.path())))
                            .as(route.getKey())
                            .contains(inOne)
                            .doesNotContain(inTwo, ofB);
                    // naming another project is refused, as another tenant's would be (issue 15)
                    assertError(
                            onlyOne.http().send("GET", probe.path() + "?projectId=" + projectTwo),
                            404,
                            "project_not_found",
                            route.getKey());
                    checked.add(route.getKey() + " hides tenant and project");
                }
                case STREAM -> {
                    // what the feed shows a project key, and never of another tenant, is ConsoleApiTest's
                    assertError(
                            onlyOne.http().send("GET", probe.path() + "?projectId=" + projectTwo),
                            404,
                            "project_not_found",
                            route.getKey());
                    checked.add(route.getKey() + " 404 project");
                }
                case CREATE -> {
                    var elsewhere = onlyOne.http()
                            .send(method, probe.path(), "{\"template\":\"base\",\"projectId\":\"" + projectTwo + "\"}");
                    assertError(elsewhere, 404, "project_not_found", route.getKey());
                    checked.add(route.getKey() + " 404 project");
                }
                case TENANT_WIDE -> {
                    // nothing of another tenant's sandbox shows through a tenant-wide read
                    var foreign = fullA.http().send(method, probe.path(ofB, commandOfB), probe.body());
                    assertThat(foreign.text())
                            .as(route.getKey() + ": " + foreign.text())
                            .doesNotContain(tenantB);
                    checked.add(route.getKey() + " shows nothing of another tenant");
                    if (probe.path().contains("{id}")) {
                        assertThat(foreign.status()).as(route.getKey()).isEqualTo(200);
                        JsonNode rows = foreign.json().has("data")
                                ? foreign.json().path("data")
                                : foreign.json().path("rows");
                        assertThat(rows.size())
                                .as(route.getKey() + " shows nothing of " + ofB + ": " + foreign.text())
                                .isZero();
                    }
                }
            }
        }
        assertThat(checked).hasSizeGreaterThanOrEqualTo(table.size());
        System.out.println("scope matrix: " + table.size() + " routes, " + checked.size() + " checks: " + checked);

        // mutations through keys are audited with the key's id as the actor
        CrowNest auditor = fullA;
        await().atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> auditor.http()
                                .send("GET", "/v1/audit/events?resourceId=" + inOne + "&action=sandbox.created")
                                .json()
                                .path("data")
                                .size()
                        == 1);
        assertThat(auditor.http()
                        .send("GET", "/v1/audit/events?resourceId=" + inOne + "&action=sandbox.created")
                        .json()
                        .path("data")
                        .get(0)
                        .path("actor")
                        .asText())
                .isEqualTo(keyIds.get(onlyOne));
        await().atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> auditor.http()
                                .send("GET", "/v1/audit/events?resourceId=" + commandInTwo)
                                .json()
                                .path("data")
                                .size()
                        >= 1);
        assertThat(auditor.http()
                        .send("GET", "/v1/audit/events?resourceId=" + commandInTwo)
                        .json()
                        .path("data")
                        .get(0)
                        .path("actor")
                        .asText())
                .isEqualTo(keyIds.get(fullA));
        // the refused kills killed nothing
        assertThat(fullA.sandboxes().get(inTwo).status()).isEqualTo("running");
        assertThat(fullB.sandboxes().get(ofB).status()).isEqualTo("running");
        for (String id : List.of(inOne, inTwo)) {
            fullA.http().send("DELETE", "/v1/sandboxes/" + id);
        }
        fullB.http().send("DELETE", "/v1/sandboxes/" + ofB);
    }

    @Test
    void keysCannotMintKeysRevocationIsFeltWithinASecondAndSecretsAreNeverShownAgain() {
        CrowNest fullA = key(adminA, "auditor", Scopes.ALL, null);
        String fullSecret = secrets.getLast();

        // an API key on every key endpoint: 403, even next to a valid session
        for (CrowNest caller : List.of(fullA, SystemUnderTest.withKeyAndSession(fullSecret, secrets.getFirst()))) {
            assertError(caller.http().send("GET", "/v1/keys"), 403, "keys_cannot_mint_keys", "GET /v1/keys");
            assertError(
                    caller.http().send("POST", "/v1/keys", Map.of("name", "minted", "scopes", Scopes.ALL)),
                    403,
                    "keys_cannot_mint_keys",
                    "POST /v1/keys");
            assertError(
                    caller.http().send("DELETE", "/v1/keys/key_any"),
                    403,
                    "keys_cannot_mint_keys",
                    "DELETE /v1/keys/{id}");
        }
        assertError(
                fullA.http().send("POST", "/v1/projects", Map.of("name", "sneaky")),
                403,
                "session_required",
                "POST /v1/projects");
        assertError(
                adminA.http().send("POST", "/v1/tenants", Map.of("name", "x", "plan", "pro")),
                403,
                "operator_required",
                "POST /v1/tenants");

        // validation, in the one error shape
        assertError(
                adminA.http()
                        .send(
                                "POST",
                                "/v1/keys",
                                Map.of("name", "k", "scopes", List.of("sandboxes:read", "keys:create"))),
                400,
                "unknown_scope",
                "scope");
        assertError(
                adminA.http().send("POST", "/v1/keys", Map.of("name", "k", "scopes", List.of())),
                400,
                "invalid_scopes",
                "no scope");
        assertError(
                adminA.http().send("POST", "/v1/keys", Map.of("name", "k".repeat(101), "scopes", Scopes.ALL)),
                400,
                "invalid_name",
                "long name");
        assertError(
                adminA.http()
                        .send("POST", "/v1/keys", Map.of("name", "k", "scopes", Scopes.ALL, "projectId", projectOfB)),
                404,
                "project_not_found",
                "B's project");
        assertError(
                adminA.http().send("POST", "/v1/projects", Map.of("name", "ONE")),
                409,
                "project_name_taken",
                "same project name");
        assertError(
                operator.http()
                        .send("POST", "/v1/tenants", Map.of("name", "gold-" + UUID.randomUUID(), "plan", "gold")),
                400,
                "invalid_plan",
                "plan");

        // the plan given at creation is metering's plan of the tenant
        assertThat(operator.http().send("GET", "/v1/quotas?tenantId=" + tenantA).field("plan"))
                .isEqualTo("pro");
        assertThat(operator.http().send("GET", "/v1/quotas?tenantId=" + tenantB).field("plan"))
                .isEqualTo("free");
        assertThat(adminB.http().send("GET", "/v1/quotas").field("plan"))
                .as("a tenant admin reads its own quotas")
                .isEqualTo("free");

        // revocation: refused within one second; another tenant's admin cannot revoke (404)
        JsonNode doomed = created(adminA.http()
                .send("POST", "/v1/keys", Map.of("name", "doomed", "scopes", List.of(Scopes.SANDBOXES_READ))));
        String doomedId = doomed.path("id").asText();
        secrets.add(doomed.path("key").asText());
        CrowNest doomedKey = SystemUnderTest.withKey(doomed.path("key").asText());
        assertThat(doomedKey.http().send("GET", "/v1/sandboxes").status()).isEqualTo(200);
        assertError(adminB.http().send("DELETE", "/v1/keys/" + doomedId), 404, "key_not_found", "B revokes A's key");
        assertThat(doomedKey.http().send("GET", "/v1/sandboxes").status()).isEqualTo(200);
        // Every other gateway learns the revocation from key-events: this reader stands in for one.
        TopicTail otherGateway = TopicTail.fromNow(SystemUnderTest.kafka(), Topics.KEY_EVENTS);
        Instant revokedWallClock = Instant.now();
        long revokedAt = System.nanoTime();
        assertThat(adminA.http().send("DELETE", "/v1/keys/" + doomedId).status())
                .isEqualTo(200);
        System.out.println("DELETE /v1/keys/{id} answered after "
                + Duration.ofNanos(System.nanoTime() - revokedAt).toMillis() + " ms");
        await().atMost(Duration.ofSeconds(1))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> doomedKey.http().send("GET", "/v1/sandboxes").status() == 401);
        Duration tookToRefuse = Duration.ofNanos(System.nanoTime() - revokedAt);
        System.out.println("revoked key refused after " + tookToRefuse.toMillis() + " ms");
        assertThat(tookToRefuse).isLessThan(Duration.ofSeconds(1));
        assertError(doomedKey.http().send("GET", "/v1/sandboxes"), 401, "key_revoked", "revoked key");
        try (otherGateway) {
            Instant seen = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (seen == null && System.nanoTime() < deadline) {
                for (TopicTail.Received r : otherGateway.poll(Duration.ofMillis(50))) {
                    if (r.type().equals("ApiKeyRevoked")
                            && r.event().path("keyId").asText().equals(doomedId)) {
                        seen = r.at();
                    }
                }
            }
            assertThat(seen).as("ApiKeyRevoked on key-events").isNotNull();
            Duration overKafka = Duration.between(revokedWallClock, seen);
            System.out.println("ApiKeyRevoked reached a key-events reader " + overKafka.toMillis()
                    + " ms after the DELETE was sent");
            assertThat(overKafka).isLessThan(Duration.ofSeconds(1));
        }

        // the secrets never show again: not in the key list...
        var keys = adminA.http().send("GET", "/v1/keys");
        assertThat(keys.status()).isEqualTo(200);
        assertThat(keys.json().path("data").size()).isGreaterThanOrEqualTo(2);
        assertThat(keys.text()).contains(doomedId);
        for (String secret : secrets) {
            assertThat(keys.text()).doesNotContain(secret);
        }
        // ...nor in the audit trail, which has the key's creation and revocation by the admin session
        String session = adminSessionOf(keys, doomedId);
        await().atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> fullA.http()
                                .send("GET", "/v1/audit/events?resourceId=" + doomedId)
                                .json()
                                .path("data")
                                .size()
                        == 2);
        JsonNode trail = fullA.http()
                .send("GET", "/v1/audit/events?resourceId=" + doomedId)
                .json()
                .path("data");
        assertThat(trail)
                .extracting(e -> e.path("action").asText())
                .containsExactlyInAnyOrder("key.created", "key.revoked");
        assertThat(trail).extracting(e -> e.path("actor").asText()).containsOnly(session);
        await().atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> fullA.http()
                                .send("GET", "/v1/audit/events?action=tenant.created")
                                .json()
                                .path("data")
                                .size()
                        == 1);
        var everything = fullA.http().send("GET", "/v1/audit/events?limit=1000");
        assertThat(everything.text())
                .contains("project.created", "tenant.admin_session_opened", "key.created", "key.revoked");
        for (String secret : secrets) {
            assertThat(everything.text()).doesNotContain(secret);
        }
        var export = fullA.http().send("GET", "/v1/audit/export?format=json");
        assertThat(export.status()).isEqualTo(200);
        for (String secret : secrets) {
            assertThat(export.text()).doesNotContain(secret);
        }
        // replaying the tenant's archived streams rebuilds its keys (one revoked) as the live read model has them
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> {
                    JsonNode replay = fullA.http()
                            .send("POST", "/v1/audit/replay", Map.of())
                            .json();
                    assertThat(replay.path("equal").asBoolean())
                            .as(replay.toString())
                            .isTrue();
                    assertThat(replay.path("checked").path("keys").asLong())
                            .as(replay.toString())
                            .isGreaterThanOrEqualTo(2);
                });
    }

    /** The gateway's tenant route table, read from its source: "METHOD /pattern" → scope name. */
    private static Map<String, String> gatewayTenantRoutes() throws IOException {
        Path source = Path.of(
                SystemUnderTest.env("CROWNEST_ROOT"),
                "api-gateway/src/main/java/dev/crownest/gateway/route/PublicRoutes.java");
        String text = Files.readString(source);
        int start = text.indexOf("RouteTable tenantRoutes(");
        int end = text.indexOf("RouteTable adminRoutes(");
        assertThat(start).as("PublicRoutes has a tenantRoutes table").isPositive();
        Matcher m = TENANT_ROUTE.matcher(text.substring(start, end));
        Map<String, String> routes = new LinkedHashMap<>();
        while (m.find()) {
            try {
                routes.put(m.group(1) + " " + m.group(2), (String)
                        Scopes.class.getField(m.group(3)).get(null));
            } catch (ReflectiveOperationException e) {
                throw new AssertionError("PublicRoutes names an unknown scope " + m.group(3), e);
            }
        }
        assertThat(routes).as("routes parsed from " + source).hasSizeGreaterThan(10);
        return routes;
    }

    private static CrowNest key(CrowNest admin, String name, List<String> scopes, String projectId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("scopes", scopes);
        if (projectId != null) {
            body.put("projectId", projectId);
        }
        JsonNode key = created(admin.http().send("POST", "/v1/keys", body));
        assertThat(key.path("key").asText()).startsWith("cn_live_");
        assertThat(key.path("projectId").isNull() ? null : key.path("projectId").asText())
                .isEqualTo(projectId);
        secrets.add(key.path("key").asText());
        CrowNest client = SystemUnderTest.withKey(key.path("key").asText());
        keyIds.put(client, key.path("id").asText());
        return client;
    }

    private static String adminSessionOf(RawResponse keys, String keyId) {
        for (JsonNode key : keys.json().path("data")) {
            if (key.path("id").asText().equals(keyId)) {
                assertThat(key.path("createdBy").asText()).startsWith("adm_");
                return key.path("createdBy").asText();
            }
        }
        throw new AssertionError("no key " + keyId + " in " + keys.text());
    }

    private static JsonNode created(RawResponse answer) {
        assertThat(answer.status()).as(answer.text()).isEqualTo(201);
        return answer.json();
    }

    private static String running(RawResponse answer) {
        assertThat(answer.status()).as(answer.text()).isEqualTo(201);
        assertThat(answer.field("status")).isEqualTo("running");
        return answer.field("id");
    }

    private static String finished(RawResponse answer) {
        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        assertThat(answer.json().path("exitCode").asInt()).isZero();
        return answer.field("id");
    }

    private static Set<String> ids(RawResponse answer) {
        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        Set<String> ids = new TreeSet<>();
        answer.json().path("data").forEach(s -> ids.add(s.path("id").asText()));
        return ids;
    }

    private static void assertError(RawResponse answer, int status, String code, String what) {
        assertThat(answer.status()).as(what + ": " + answer.text()).isEqualTo(status);
        JsonNode error = answer.json() == null ? null : answer.json().path("error");
        assertThat(error).as(what + ": " + answer.text()).isNotNull();
        assertThat(error.path("code").asText()).as(what + ": " + answer.text()).isEqualTo(code);
        assertThat(error.path("requestId").asText()).as(what).startsWith("req_");
        assertThat(answer.text()).doesNotContain("Exception");
    }
}
