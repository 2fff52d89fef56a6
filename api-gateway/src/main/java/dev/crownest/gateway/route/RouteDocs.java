package dev.crownest.gateway.route;

import static java.util.Map.entry;

import dev.crownest.contracts.api.ArtifactView;
import dev.crownest.contracts.api.CommandView;
import dev.crownest.contracts.api.CreateKeyRequest;
import dev.crownest.contracts.api.CreatePreviewRequest;
import dev.crownest.contracts.api.CreateProjectRequest;
import dev.crownest.contracts.api.CreateSandboxRequest;
import dev.crownest.contracts.api.CreateTemplateRequest;
import dev.crownest.contracts.api.CreateTenantRequest;
import dev.crownest.contracts.api.ExtendTtlRequest;
import dev.crownest.contracts.api.KeyView;
import dev.crownest.contracts.api.PreviewTokenView;
import dev.crownest.contracts.api.PreviewView;
import dev.crownest.contracts.api.ProjectView;
import dev.crownest.contracts.api.ResumeRequest;
import dev.crownest.contracts.api.RunCommandRequest;
import dev.crownest.contracts.api.SandboxView;
import dev.crownest.contracts.api.SignupRequest;
import dev.crownest.contracts.api.SignupSettings;
import dev.crownest.contracts.api.SignupView;
import dev.crownest.contracts.api.SnapshotView;
import dev.crownest.contracts.api.TemplateLogs;
import dev.crownest.contracts.api.TemplateView;
import dev.crownest.contracts.api.TenantPlanRequest;
import dev.crownest.contracts.api.TenantView;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * What the OpenAPI document says about each route, keyed by {@code "METHOD pattern"}. The paths and
 * methods themselves come from the route tables, so the document cannot list a route that does not
 * exist; a route without an entry here fails the gateway's test.
 */
final class RouteDocs {

    /**
     * @param summary  one line on what the route does
     * @param request  the JSON body's contract type, or null
     * @param response the success answer's contract type, or null for JSON described in {@code summary}
     * @param list     the answer is a page ({@code {data, nextCursor}}) of {@code response}
     * @param status   the success status
     * @param query    query parameters the route reads
     * @param media    the success answer's media type
     */
    record Doc(
            String summary,
            Class<?> request,
            Class<?> response,
            boolean list,
            int status,
            List<String> query,
            String media) {
        static Doc of(String summary) {
            return new Doc(summary, null, null, false, 200, List.of(), JSON);
        }

        Doc query(String... names) {
            return new Doc(summary, request, response, list, status, List.of(names), media);
        }

        Doc body(Class<?> type) {
            return new Doc(summary, type, response, list, status, query, media);
        }

        Doc answers(int code, Class<?> type) {
            return new Doc(summary, request, type, list, code, query, media);
        }

        Doc pageOf(Class<?> type) {
            return new Doc(summary, request, type, true, status, query, media);
        }

        /** The answer is a stream of server-sent events, each {@code data} one {@code type} (it never ends). */
        Doc eventsOf(Class<?> type) {
            return new Doc(summary, request, type, false, status, query, EVENT_STREAM);
        }
    }

    static final String JSON = "application/json";
    static final String EVENT_STREAM = "text/event-stream";

    static final Map<String, Doc> DOCS = Map.ofEntries(
            entry(
                    "POST /v1/sandboxes",
                    Doc.of("Create a sandbox from a template, or fork a snapshot (fromSnapshot, with only ttlMs and"
                                    + " metadata besides); answers once it runs (202 while still starting)")
                            .body(CreateSandboxRequest.class)
                            .answers(201, SandboxView.class)),
            entry(
                    "GET /v1/sandboxes",
                    Doc.of("List sandboxes, newest first")
                            .pageOf(SandboxView.class)
                            .query("status", "projectId", "limit", "cursor", "metadata[key]")),
            entry("GET /v1/sandboxes/{id}", Doc.of("One sandbox").answers(200, SandboxView.class)),
            entry(
                    "GET /v1/sandboxes/events",
                    Doc.of("Live changes of the key's sandboxes: an 'event: ready' once subscribed, then an 'event:"
                                    + " sandbox' with the sandbox's view after each change; projectId narrows it")
                            .query("projectId")
                            .eventsOf(SandboxView.class)),
            entry(
                    "GET /v1/me",
                    Doc.of("Who the credential is: kind (api_key, tenant_admin, operator), role, tenantId, keyId,"
                            + " sessionId, projectId and scopes")),
            entry(
                    "DELETE /v1/sandboxes/{id}",
                    Doc.of("Kill a sandbox (a tombstone stays in the audit trail)")
                            .answers(200, SandboxView.class)),
            entry(
                    "POST /v1/sandboxes/{id}/pause",
                    Doc.of("Pause: memory, processes and files checkpointed to disk as a new snapshot (snapshotId);"
                                    + " nothing is metered and the TTL stands still while paused")
                            .answers(200, SandboxView.class)),
            entry(
                    "POST /v1/sandboxes/{id}/resume",
                    Doc.of("Resume a paused sandbox where it was; with snapshotId, only if paused at that snapshot"
                                    + " (409 snapshot_not_current)")
                            .body(ResumeRequest.class)
                            .answers(200, SandboxView.class)),
            entry(
                    "GET /v1/snapshots",
                    Doc.of("List snapshots (not deleted), newest first")
                            .pageOf(SnapshotView.class)
                            .query("sandboxId", "limit", "cursor")),
            entry(
                    "GET /v1/snapshots/{id}",
                    Doc.of("One snapshot: its sandbox, template, status (current, superseded) and size")
                            .answers(200, SnapshotView.class)),
            entry(
                    "DELETE /v1/snapshots/{id}",
                    Doc.of("Delete a snapshot; deleting the one a sandbox is paused at ends that sandbox")
                            .answers(204, null)),
            entry(
                    "POST /v1/sandboxes/{id}/ttl",
                    Doc.of("Extend the TTL: expiresAt = now + ttlMs, at most 24 h after the create")
                            .body(ExtendTtlRequest.class)
                            .answers(200, SandboxView.class)),
            entry(
                    "POST /v1/sandboxes/{id}/commands",
                    Doc.of("Run a command: the result; with stream=true server-sent "
                                    + "events (stdout, stderr, then exit; header X-CrowNest-Command-Id); with ?wait=false 202 and the "
                                    + "running record")
                            .body(RunCommandRequest.class)
                            .answers(200, CommandView.class)
                            .query("wait")),
            entry(
                    "GET /v1/sandboxes/{id}/commands",
                    Doc.of("The sandbox's Command records")
                            .pageOf(CommandView.class)
                            .query("limit", "cursor")),
            entry(
                    "GET /v1/sandboxes/{id}/commands/ws",
                    Doc.of(
                            "WebSocket: send the run request as the first frame; "
                                    + "receive start, stdout/stderr chunks and exit frames; send {\"type\":\"cancel\"} to cancel")),
            entry(
                    "GET /v1/sandboxes/{id}/pty",
                    Doc.of(
                                    "WebSocket: a terminal (a real PTY) in the sandbox, the login shell (bash, else sh) in "
                                            + "/workspace with TERM=xterm-256color, or `command`. Binary frames: keystrokes in, "
                                            + "the terminal's output out. Text frames: send {\"type\":\"resize\",\"cols\":N,\"rows\":N}; "
                                            + "receive {\"type\":\"exit\",\"exitCode\":N} when the shell exits, then a close with 1000. "
                                            + "Closing the socket kills the terminal's processes. cols and rows 1-1000 (default 80x24)")
                            .query("cols", "rows", "command")),
            entry(
                    "GET /v1/sandboxes/{id}/commands/{cid}",
                    Doc.of("One Command record").answers(200, CommandView.class)),
            entry(
                    "GET /v1/sandboxes/{id}/commands/{cid}/stream",
                    Doc.of("Follow a running or finished command (server-sent events, as a streamed run): "
                            + "its kept output from the first byte, or after Last-Event-ID (<stdout bytes>.<stderr bytes>), "
                            + "gap events for output not kept, then live output, then exit")),
            entry(
                    "POST /v1/sandboxes/{id}/commands/{cid}/cancel",
                    Doc.of("Cancel a running command: its process group "
                                    + "is killed; answers the finished record (cancelled: true), or 202 while it stops")
                            .answers(200, CommandView.class)),
            entry(
                    "POST /v1/tenants",
                    Doc.of("Create a tenant on a plan (operator); answers its id and its first admin "
                                    + "session token, shown once")
                            .body(CreateTenantRequest.class)
                            .answers(201, TenantView.class)),
            entry(
                    "GET /v1/tenants",
                    Doc.of("Tenants with their plan and status, active or suspended (operator)")
                            .pageOf(TenantView.class)
                            .query("limit")),
            entry(
                    "POST /v1/signup",
                    Doc.of("Sign up, no credential: a tenant on the free plan with $10 of credit, its admin session "
                                    + "token and an API key of every scope, both shown once; limited per source address (429 "
                                    + "rate_limited with Retry-After); 400 invalid_name, invalid_email; 409 email_taken, "
                                    + "tenant_name_taken; 403 signup_disabled when the operator closed it")
                            .body(SignupRequest.class)
                            .answers(201, SignupView.class)),
            entry(
                    "POST /v1/tenants/{id}/suspend",
                    Doc.of("Suspend a tenant (operator): its keys and admin sessions answer 403 tenant_suspended and "
                                    + "its running sandboxes are paused (one that cannot be paused is killed)")
                            .answers(200, TenantView.class)),
            entry(
                    "POST /v1/tenants/{id}/unsuspend",
                    Doc.of("End a suspension (operator): keys and sessions work again; paused sandboxes stay paused "
                                    + "until the tenant resumes them")
                            .answers(200, TenantView.class)),
            entry(
                    "PUT /v1/tenants/{id}/plan",
                    Doc.of("Move a tenant to another plan (operator); its quota limits follow at once")
                            .body(TenantPlanRequest.class)
                            .answers(200, TenantView.class)),
            entry(
                    "GET /v1/settings/signup",
                    Doc.of("Whether sign-up is open (operator)").answers(200, SignupSettings.class)),
            entry(
                    "PUT /v1/settings/signup",
                    Doc.of("Open or close sign-up (operator); closed, POST /v1/signup answers 403 signup_disabled")
                            .body(SignupSettings.class)
                            .answers(200, SignupSettings.class)),
            entry(
                    "POST /v1/tenants/{id}/admin-sessions",
                    Doc.of("Another admin session token for a tenant (operator), " + "shown once")),
            entry(
                    "DELETE /v1/tenants/{id}/admin-sessions/{sessionId}",
                    Doc.of("Revoke a tenant admin session (operator)")),
            entry(
                    "POST /v1/projects",
                    Doc.of("Create a project (tenant admin, or operator with ?tenantId=)")
                            .body(CreateProjectRequest.class)
                            .answers(201, ProjectView.class)
                            .query("tenantId")),
            entry(
                    "GET /v1/projects",
                    Doc.of("Projects of the tenant").pageOf(ProjectView.class).query("tenantId")),
            entry(
                    "GET /v1/projects/{id}",
                    Doc.of("One project").answers(200, ProjectView.class).query("tenantId")),
            entry(
                    "POST /v1/keys",
                    Doc.of(
                                    "Create an API key with scopes, optionally restricted to one project; the "
                                            + "secret is in this answer only. Sessions only: an API key gets 403 keys_cannot_mint_keys")
                            .body(CreateKeyRequest.class)
                            .answers(201, KeyView.class)
                            .query("tenantId")),
            entry(
                    "GET /v1/keys",
                    Doc.of("API keys of the tenant (never their secrets)")
                            .pageOf(KeyView.class)
                            .query("status", "tenantId")),
            entry(
                    "GET /v1/keys/{id}",
                    Doc.of("One API key").answers(200, KeyView.class).query("tenantId")),
            entry(
                    "DELETE /v1/keys/{id}",
                    Doc.of("Revoke an API key: refused at every gateway within a second")
                            .answers(200, KeyView.class)
                            .query("tenantId")),
            entry(
                    "GET /v1/usage",
                    Doc.of("Usage rows and totals: computeUnitSeconds, pricingVersion, amount")
                            .query("sandboxId", "projectId", "from", "to", "granularity")),
            entry(
                    "GET /v1/usage/export",
                    Doc.of("Usage for finance, streamed as CSV or JSON").query("from", "to", "format", "granularity")),
            entry("GET /v1/quotas", Doc.of("Quota limits and what is used now").query("projectId", "tenantId")),
            entry(
                    "PUT /v1/quotas",
                    Doc.of("Set quota limits of the tenant or, with projectId, one project (null = no limit): the "
                                    + "operator any (with tenantId), a tenant admin within its plan's limits (403 "
                                    + "plan_limit_exceeded above them; 400 invalid_quota when negative)")
                            .query("tenantId", "projectId")),
            entry(
                    "GET /v1/audit/events",
                    Doc.of("Audit events, hash-chained, with cursor pages")
                            .query("resourceId", "actor", "action", "from", "to", "limit", "cursor")),
            entry(
                    "GET /v1/audit/verify",
                    Doc.of("Verify the audit hash chain: {valid, checked}").query("tenantId")),
            entry(
                    "GET /v1/audit/tombstones",
                    Doc.of("Tombstones of killed, revoked and deleted resources")
                            .query("resourceId", "limit")),
            entry(
                    "GET /v1/audit/export",
                    Doc.of("The audit log streamed as CSV or JSON, verifiable offline")
                            .query("from", "to", "format")),
            entry(
                    "GET /v1/sandboxes/{id}/egress",
                    Doc.of("Connections the sandbox tried and its egress proxy refused, counted per destination and "
                                    + "window: {data: [{host, port, reason, count, firstAt, lastAt}], nextCursor}")
                            .query("limit", "cursor")),
            entry(
                    "POST /v1/audit/replay",
                    Doc.of("Rebuild the read models from the event streams and compare them " + "with the live ones")
                            .query("tenantId")),
            // files (dev.crownest.gateway.file)
            // artifacts
            entry(
                    "GET /v1/sandboxes/{id}/artifacts",
                    Doc.of("The sandbox's artifacts (files its commands collected), "
                                    + "newest first; also after the sandbox ended")
                            .pageOf(ArtifactView.class)
                            .query("commandId", "limit", "cursor")),
            entry(
                    "GET /v1/sandboxes/{id}/artifacts/{aid}",
                    Doc.of("One artifact's metadata: name, size, sha256, content type")
                            .answers(200, ArtifactView.class)),
            entry(
                    "GET /v1/sandboxes/{id}/artifacts/{aid}/content",
                    Doc.of("The artifact's bytes, streamed; Content-Type "
                            + "from its name, Content-Length, ETag = its quoted sha256")),
            // templates
            entry(
                    "GET /v1/templates",
                    Doc.of(
                                    "The platform's templates and the tenant's own, each with its status "
                                            + "(ready, building, failed), size, origin (platform or custom) and, for custom ones, from")
                            .pageOf(TemplateView.class)),
            entry(
                    "POST /v1/templates",
                    Doc.of("Build a custom template (202, status building): a sandbox of from (network "
                                    + "restricted) gets the files, runs each step, and its root's changes become the template; "
                                    + "409 template_exists, 400 unknown_template, too_many_steps (over 50), template_too_large "
                                    + "(over 100 KB), invalid_path, invalid_template_name")
                            .body(CreateTemplateRequest.class)
                            .answers(202, TemplateView.class)),
            entry("GET /v1/templates/{name}", Doc.of("One template").answers(200, TemplateView.class)),
            entry(
                    "GET /v1/templates/{name}/logs",
                    Doc.of("A custom template's build: each step's command, output (its tail), exit code; "
                                    + "failedStep names the step that failed")
                            .answers(200, TemplateLogs.class)),
            entry(
                    "DELETE /v1/templates/{name}",
                    Doc.of("Delete a custom template; 409 template_in_use while sandboxes of it run or are paused")
                            .answers(200, TemplateView.class)),
            // previews; a preview itself is served on its own host, {port}-{sandbox id without sbx_}.{preview domain}
            entry(
                    "POST /v1/sandboxes/{id}/previews",
                    Doc.of("Expose a port of a running sandbox on a host of its own, "
                                    + "{port}-{sandbox id without sbx_}.{preview domain} at the gateway's port, for the "
                                    + "sandbox's tenant alone (x-api-key with previews:read, or a session from a token); "
                                    + "no API route is served there (201); one active preview per sandbox and port: a second "
                                    + "create answers the first (200)")
                            .body(CreatePreviewRequest.class)
                            .answers(201, PreviewView.class)),
            entry(
                    "GET /v1/sandboxes/{id}/previews",
                    Doc.of("The sandbox's previews, newest first")
                            .pageOf(PreviewView.class)
                            .query("status")),
            entry("GET /v1/sandboxes/{id}/previews/{pid}", Doc.of("One preview").answers(200, PreviewView.class)),
            entry(
                    "DELETE /v1/sandboxes/{id}/previews/{pid}",
                    Doc.of("Close a preview: its URL answers 410 from then on").answers(200, PreviewView.class)),
            entry(
                    "POST /v1/sandboxes/{id}/previews/{pid}/tokens",
                    Doc.of(
                                    "A single-use token (5 min) for a browser: "
                                            + "open its url (/_crownest/session?token= on the preview's host) to get a host-only "
                                            + "session cookie for this preview alone (1 h), which ends with the key that asked for it")
                            .answers(201, PreviewTokenView.class)));

    private static final List<Map<String, Doc>> FEATURES = List.of(
            WebhookRouteDocs.DOCS,
            PricingRouteDocs.DOCS,
            BillingRouteDocs.DOCS,
            CreditRouteDocs.DOCS,
            FileRouteDocs.DOCS,
            NodeRouteDocs.DOCS);

    /** The entry of {@code "METHOD pattern"}: here, or among a feature's own ({@link #FEATURES}). */
    static Doc find(String key) {
        return Stream.concat(Stream.of(DOCS), FEATURES.stream())
                .map(docs -> docs.get(key))
                .filter(Objects::nonNull)
                .findFirst()
                .orElse(null);
    }

    private RouteDocs() {}
}
