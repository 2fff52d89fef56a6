package dev.crownest.gateway.route;

import static dev.crownest.gateway.project.ProjectHandling.FILTERED;
import static dev.crownest.gateway.project.ProjectHandling.SANDBOX;
import static dev.crownest.gateway.project.ProjectHandling.TENANT;
import static java.util.Map.entry;

import dev.crownest.gateway.project.ProjectHandling;
import java.util.Map;

/**
 * How each tenant route keeps a project-restricted key to its project, keyed by {@code "METHOD
 * pattern"} like {@link RouteDocs}. A route missing here gets no {@code x-project-scope} in the
 * OpenAPI document and no project guard, and the project matrix (system-tests) fails on it: a new
 * route must say how it is sealed.
 */
final class RouteProjects {
    static final Map<String, ProjectHandling> OF = Map.ofEntries(
            entry("POST /v1/sandboxes", FILTERED),
            entry("GET /v1/sandboxes", FILTERED),
            entry("GET /v1/sandboxes/events", FILTERED),
            entry("GET /v1/sandboxes/{id}", SANDBOX),
            entry("DELETE /v1/sandboxes/{id}", SANDBOX),
            entry("POST /v1/sandboxes/{id}/pause", SANDBOX),
            entry("POST /v1/sandboxes/{id}/resume", SANDBOX),
            entry("POST /v1/sandboxes/{id}/ttl", SANDBOX),
            entry("POST /v1/sandboxes/{id}/commands", SANDBOX),
            entry("GET /v1/sandboxes/{id}/commands", SANDBOX),
            entry("GET /v1/sandboxes/{id}/commands/ws", SANDBOX),
            entry("GET /v1/sandboxes/{id}/pty", SANDBOX),
            entry("GET /v1/sandboxes/{id}/commands/{cid}", SANDBOX),
            entry("GET /v1/sandboxes/{id}/commands/{cid}/stream", SANDBOX),
            entry("POST /v1/sandboxes/{id}/commands/{cid}/cancel", SANDBOX),
            entry("GET /v1/usage", FILTERED),
            entry("GET /v1/usage/export", FILTERED),
            entry("GET /v1/quotas", FILTERED),
            entry("GET /v1/invoices", FILTERED),
            entry("GET /v1/invoices/{id}", FILTERED),
            entry("GET /v1/credits", TENANT),
            entry("GET /v1/audit/events", FILTERED),
            entry("GET /v1/audit/verify", FILTERED),
            entry("GET /v1/audit/tombstones", FILTERED),
            entry("GET /v1/audit/export", FILTERED),
            entry("POST /v1/audit/replay", FILTERED),
            entry("GET /v1/sandboxes/{id}/files", SANDBOX),
            entry("PUT /v1/sandboxes/{id}/files", SANDBOX),
            entry("POST /v1/sandboxes/{id}/files", SANDBOX),
            entry("DELETE /v1/sandboxes/{id}/files", SANDBOX),
            entry("GET /v1/sandboxes/{id}/files/list", SANDBOX),
            entry("POST /v1/sandboxes/{id}/files/mkdir", SANDBOX),
            entry("POST /v1/sandboxes/{id}/files/move", SANDBOX),
            entry("POST /v1/sandboxes/{id}/files/upload-url", SANDBOX),
            entry("POST /v1/sandboxes/{id}/files/download-url", SANDBOX),
            entry("GET /v1/sandboxes/{id}/artifacts", SANDBOX),
            entry("GET /v1/sandboxes/{id}/artifacts/{aid}", SANDBOX),
            entry("GET /v1/sandboxes/{id}/artifacts/{aid}/content", SANDBOX),
            entry("POST /v1/sandboxes/{id}/previews", SANDBOX),
            entry("GET /v1/sandboxes/{id}/previews", SANDBOX),
            entry("GET /v1/sandboxes/{id}/previews/{pid}", SANDBOX),
            entry("DELETE /v1/sandboxes/{id}/previews/{pid}", SANDBOX),
            entry("POST /v1/sandboxes/{id}/previews/{pid}/tokens", SANDBOX),
            entry("GET /v1/sandboxes/{id}/egress", SANDBOX),
            // a snapshot is read through its sandbox's project (sandbox-service filters by it)
            entry("GET /v1/snapshots", FILTERED),
            entry("GET /v1/snapshots/{id}", FILTERED),
            entry("DELETE /v1/snapshots/{id}", FILTERED),
            // templates are the tenant's, shared by its projects: a project key reads them, never changes them
            entry("GET /v1/templates", FILTERED),
            entry("GET /v1/templates/{name}", FILTERED),
            entry("GET /v1/templates/{name}/logs", FILTERED),
            entry("POST /v1/templates", TENANT),
            entry("DELETE /v1/templates/{name}", TENANT));

    private RouteProjects() {}

    /** The route's handling, or null when it declares none. */
    static ProjectHandling of(ApiRoute route) {
        return OF.get(route.method().name() + " " + route.pattern());
    }
}
