package dev.crownest.systemtest;

import static dev.crownest.systemtest.TwoProjects.assertError;
import static dev.crownest.systemtest.TwoProjects.running;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crownest.contracts.security.Scopes;
import dev.crownest.sdk.CrowNest;
import dev.crownest.systemtest.openapi.OpenApiRoutes;
import dev.crownest.systemtest.openapi.OpenApiRoutes.Route;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, item 2: scope × route × project, generated from the gateway's {@code /v1/openapi.json}
 * ({@link OpenApiRoutes}), so a route added later is in the matrix without a line here. For every
 * route an API key may call:
 *
 * <ul>
 *   <li>it declares its scope ({@code x-required-scope}, one of {@link Scopes#ALL}) and how it keeps a
 *       project key to its project ({@code x-project-scope}); a route declaring either not fails;
 *   <li>a key lacking exactly that scope gets 403 {@code missing_scope};
 *   <li>a key restricted to project one never sees project two: {@code sandbox} routes answer 404 on
 *       project two's sandbox; {@code filtered} routes answer 404 {@code project_not_found} for
 *       {@code projectId} two or a made-up one, and their reads show nothing of project two;
 *       {@code tenant} routes refuse the key (403 {@code project_key_not_allowed}).
 * </ul>
 *
 * The MCP tools are checked against the routes they call ({@link #mcpToolsMatchTheirRoutes}).
 */
class ProjectMatrixTest {
    /** Values of body properties and query parameters the probes send. */
    private static final Map<String, Object> EXAMPLES =
            Map.of("template", "base", "ttlMs", 600000, "cmd", "true", "port", 8000, "path", "a.txt", "name", "a");

    private static TwoProjects tenant;
    private static CrowNest whole;
    private static CrowNest onlyOne;
    private static String inOne;
    private static String inTwo;
    private static String commandInTwo;

    @BeforeAll
    static void twoProjectsWithASandboxEach() {
        tenant = new TwoProjects("matrix");
        whole = tenant.key("whole", Scopes.ALL, null);
        onlyOne = tenant.key("one", Scopes.ALL, tenant.one);
        inOne = running(onlyOne.http().send("POST", "/v1/sandboxes", Map.of("template", "base", "ttlMs", 600000)));
        inTwo = running(whole.http()
                .send("POST", "/v1/sandboxes", Map.of("template", "base", "ttlMs", 600000, "projectId", tenant.two)));
        commandInTwo = whole.sandboxes()
                .get(inTwo)
                .commands()
                .run("echo project-two-output")
                .id();
        // project two's trail has reached the audit log before anything is asked of it
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> whole.http()
                                .send("GET", "/v1/audit/events?resourceId=" + commandInTwo)
                                .json()
                                .path("data")
                                .size()
                        > 0);
    }

    @AfterAll
    static void killBoth() {
        if (whole != null) {
            whole.http().send("DELETE", "/v1/sandboxes/" + inOne);
            whole.http().send("DELETE", "/v1/sandboxes/" + inTwo);
        }
    }

    /**
     * The MCP endpoint stands for its tools: each is a call of one route of this matrix, made with the
     * caller's key, and needs that route's scope ({@code x-mcp-tools}). Checked here against the
     * routes, so a tool can never claim less than its route; the MCP client suite
     * (system-tests/mcp-client) drives a key without the scope through a tool.
     */
    private static int mcpToolsMatchTheirRoutes(OpenApiRoutes api, List<Route> routes) {
        JsonNode tools = api.document().at("/paths/~1v1~1mcp/post/x-mcp-tools");
        assertThat(tools.size()).as("MCP tools in the OpenAPI document").isGreaterThanOrEqualTo(10);
        for (JsonNode tool : tools) {
            String key = tool.path("method").asText() + " " + tool.path("path").asText();
            assertThat(routes)
                    .as("MCP tool " + tool.path("tool").asText() + " calls " + key + " with its scope")
                    .anyMatch(r -> r.key().equals(key)
                            && r.requiredScope().equals(tool.path("scope").asText()));
        }
        return tools.size();
    }

    @Test
    void everyRouteDeclaresItsScopeAndProjectHandlingAndHoldsThem() {
        OpenApiRoutes api = OpenApiRoutes.of(whole);
        List<Route> routes = new ArrayList<>(api.keyRoutes());
        routes.removeIf(r -> r.pattern().equals("/v1/mcp"));
        // who the key is: any key may ask, and it answers nothing of any project (CallerTest)
        routes.removeIf(r -> r.pattern().equals("/v1/me"));
        int mcpTools = mcpToolsMatchTheirRoutes(api, routes);
        assertThat(routes).as("routes an API key may call").hasSizeGreaterThan(30);

        List<String> undeclared = new ArrayList<>();
        for (Route route : routes) {
            if (route.requiredScope() == null || !Scopes.ALL.contains(route.requiredScope())) {
                undeclared.add(route.key() + ": x-required-scope " + route.requiredScope());
            }
            if (route.projectScope() == null
                    || !Set.of("sandbox", "filtered", "tenant").contains(route.projectScope())) {
                undeclared.add(route.key() + ": x-project-scope " + route.projectScope());
            }
        }
        assertThat(undeclared)
                .as("every key route declares its scope and project handling")
                .isEmpty();

        Map<String, CrowNest> without = new LinkedHashMap<>();
        for (String scope : Scopes.ALL) {
            List<String> rest = new ArrayList<>(Scopes.ALL);
            rest.remove(scope);
            without.put(scope, tenant.key("without " + scope, rest, null));
        }
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Route route : routes) {
            probe(route, without.get(route.requiredScope()), counts, isEventStream(api, route));
        }
        System.out.printf(
                "project matrix: %d routes (%d MCP tools), %d scopes, checks %s%n",
                routes.size(), mcpTools, Scopes.ALL.size(), counts);
        assertThat(counts.getOrDefault("missing scope 403", 0)).isEqualTo(routes.size());
    }

    /** Whether the route answers server-sent events (its 200 is {@code text/event-stream}). */
    private static boolean isEventStream(OpenApiRoutes api, Route route) {
        return api.document()
                .path("paths")
                .path(route.pattern())
                .path(route.method().toLowerCase())
                .at("/responses/200/content")
                .has("text/event-stream");
    }

    private static void probe(Route route, CrowNest lacking, Map<String, Integer> counts, boolean stream) {
        String what = route.key();
        // 1. scope: refused before anything else, whatever the resource
        assertError(
                lacking.http()
                        .send(route.method(), query(route, route.path(ids(inOne)), false), route.exampleBody(EXAMPLES)),
                403,
                "missing_scope",
                what);
        counts.merge("missing scope 403", 1, Integer::sum);

        switch (route.projectScope()) {
            case "sandbox" -> {
                var answer = onlyOne.http()
                        .send(route.method(), query(route, route.path(ids(inTwo)), false), route.exampleBody(EXAMPLES));
                assertError(answer, 404, "sandbox_not_found", what + " on project two's sandbox");
                counts.merge("other project's sandbox 404", 1, Integer::sum);
            }
            case "tenant" -> {
                assertError(
                        onlyOne.http().send(route.method(), route.path(ids(inOne)), route.exampleBody(EXAMPLES)),
                        403,
                        "project_key_not_allowed",
                        what);
                counts.merge("tenant route refuses project key 403", 1, Integer::sum);
            }
            case "filtered" -> filtered(route, counts, stream);
            default -> throw new AssertionError(what + ": unknown x-project-scope " + route.projectScope());
        }
    }

    private static void filtered(Route route, Map<String, Integer> counts, boolean stream) {
        String what = route.key();
        String path = route.path(ids(inOne));
        if (route.queryParameters().contains("projectId")) {
            assertError(
                    onlyOne.http().send(route.method(), path + "?projectId=" + tenant.two, route.exampleBody(EXAMPLES)),
                    404,
                    "project_not_found",
                    what + " naming project two");
            assertError(
                    whole.http().send(route.method(), path + "?projectId=prj_made_up", route.exampleBody(EXAMPLES)),
                    404,
                    "project_not_found",
                    what + " naming a made-up project");
            counts.merge("projectId of another or no project 404", 1, Integer::sum);
        }
        if (route.bodyHas("projectId")) {
            Map<String, Object> body = new LinkedHashMap<>(EXAMPLES);
            body.put("projectId", tenant.two);
            assertError(
                    onlyOne.http().send(route.method(), path, route.exampleBody(body)),
                    404,
                    "project_not_found",
                    what + " with body projectId two");
            body.put("projectId", "prj_made_up");
            assertError(
                    whole.http().send(route.method(), path, route.exampleBody(body)),
                    404,
                    "project_not_found",
                    what + " with a made-up body projectId");
            counts.merge("body projectId of another or no project 404", 1, Integer::sum);
        }
        // a stream of events never ends: what it shows a project key is SandboxEventsTest's
        if (!stream && (route.method().equals("GET") || route.key().equals("POST /v1/audit/replay"))) {
            // a read aimed at project two's resources shows none of them
            var answer = onlyOne.http().send(route.method(), query(route, path, true), route.exampleBody(EXAMPLES));
            assertThat(answer.status()).as(what + ": " + answer.text()).isLessThan(500);
            assertThat(answer.text())
                    .as(what + " shows nothing of project two")
                    .doesNotContain(inTwo)
                    .doesNotContain(commandInTwo)
                    .doesNotContain("project-two-output")
                    .doesNotContain(tenant.two);
            counts.merge("read shows nothing of project two", 1, Integer::sum);
        }
    }

    /** Path variables: the sandbox, and made-up ids for the rest (the sandbox is checked first). */
    private static Map<String, String> ids(String sandbox) {
        return Map.of("id", sandbox, "cid", sandbox.equals(inTwo) ? commandInTwo : "cmd_none");
    }

    /**
     * The query a probe sends: file routes name a file; with {@code aimAtTwo} the read filters on
     * project two's sandbox and command where the route can.
     */
    private static String query(Route route, String path, boolean aimAtTwo) {
        List<String> params = new ArrayList<>();
        for (String name : route.queryParameters()) {
            switch (name) {
                case "path" -> params.add("path=a.txt");
                case "from", "to" -> {
                    if (route.projectScope().equals("sandbox")) {
                        params.add(name + "=" + name + ".txt");
                    }
                }
                case "resourceId" -> {
                    if (aimAtTwo) {
                        params.add("resourceId=" + commandInTwo);
                    }
                }
                case "sandboxId" -> {
                    if (aimAtTwo) {
                        params.add("sandboxId=" + inTwo);
                    }
                }
                case "format" -> params.add("format=json");
                default -> {}
            }
        }
        return params.isEmpty() ? path : path + "?" + String.join("&", params);
    }
}
