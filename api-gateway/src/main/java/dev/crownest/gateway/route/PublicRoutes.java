package dev.crownest.gateway.route;

import static dev.crownest.gateway.key.OperatorAuthentication.ANY_SESSION;
import static dev.crownest.gateway.key.OperatorAuthentication.PLATFORM;
import static dev.crownest.gateway.key.OperatorAuthentication.TENANT_ADMIN;
import static org.springframework.http.HttpMethod.DELETE;
import static org.springframework.http.HttpMethod.GET;
import static org.springframework.http.HttpMethod.POST;
import static org.springframework.http.HttpMethod.PUT;

import dev.crownest.contracts.security.Scopes;
import dev.crownest.gateway.GatewayProperties;
import dev.crownest.gateway.command.CommandHandler;
import dev.crownest.gateway.command.CommandReattach;
import dev.crownest.gateway.command.CommandWebSocket;
import dev.crownest.gateway.file.FileHandler;
import dev.crownest.gateway.file.SignedFileRoutes;
import dev.crownest.gateway.key.ApiKeyAuthentication;
import dev.crownest.gateway.key.CallerHandler;
import dev.crownest.gateway.key.OperatorAuthentication;
import dev.crownest.gateway.mcp.McpEndpoint;
import dev.crownest.gateway.preview.PreviewHandler;
import dev.crownest.gateway.project.ProjectGuard;
import dev.crownest.gateway.ratelimit.KeyRateLimits;
import dev.crownest.gateway.sandbox.SandboxEventStream;
import dev.crownest.gateway.sandbox.SandboxHandler;
import dev.crownest.gateway.tenant.KeyHandler;
import dev.crownest.gateway.tenant.SignupHandler;
import dev.crownest.gateway.tenant.TenantHandler;
import dev.crownest.gateway.terminal.TerminalWebSocket;
import dev.crownest.gateway.upstream.Relay;
import java.util.ArrayList;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RequestPredicate;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The public API: a table of tenant routes with the scope each needs (API key), a table of
 * administration routes (operator or tenant admin session), the routes that take no credential
 * (sign-up), and a fallback that answers unknown routes (404) and wrong methods (405).
 */
@Configuration(proxyBeanMethods = false)
class PublicRoutes {
    static final String OPENAPI_PATH = "/v1/openapi.json";
    /** What {@code GET /v1/invoices/{id}} answers besides JSON, for an Accept that names it. */
    private static final List<MediaType> INVOICE_DOCUMENTS =
            List.of(MediaType.APPLICATION_PDF, MediaType.parseMediaType("text/csv"));

    /** The routes of one kind of caller. */
    record RouteTable(List<ApiRoute> routes) {}

    @Bean
    RouteTable tenantRoutes(
            SandboxHandler sandboxes,
            SandboxEventStream sandboxEvents,
            CallerHandler me,
            CommandHandler commands,
            CommandWebSocket commandSockets,
            TerminalWebSocket terminals,
            CommandReattach reattach,
            Relay relay,
            GatewayProperties services,
            FileHandler files,
            PreviewHandler previews) {
        String metering = services.meteringUrl();
        String billing = services.billingUrl();
        String audit = services.auditUrl();
        String sandbox = services.sandboxServiceUrl();
        return new RouteTable(List.of(
                // who the key is: any valid key, whatever its scopes
                new ApiRoute(GET, "/v1/me", null, me::key),
                new ApiRoute(POST, "/v1/sandboxes", Scopes.SANDBOXES_CREATE, sandboxes::create),
                new ApiRoute(GET, "/v1/sandboxes", Scopes.SANDBOXES_READ, sandboxes::list),
                new ApiRoute(GET, "/v1/sandboxes/events", Scopes.SANDBOXES_READ, sandboxEvents::stream),
                new ApiRoute(GET, "/v1/sandboxes/{id}", Scopes.SANDBOXES_READ, sandboxes::get),
                new ApiRoute(DELETE, "/v1/sandboxes/{id}", Scopes.SANDBOXES_KILL, sandboxes::kill),
                new ApiRoute(POST, "/v1/sandboxes/{id}/pause", Scopes.SANDBOXES_PAUSE, sandboxes::pause),
                new ApiRoute(POST, "/v1/sandboxes/{id}/resume", Scopes.SANDBOXES_PAUSE, sandboxes::resume),
                // snapshots: what each pause saved; a fork is a create (POST /v1/sandboxes {"fromSnapshot"})
                new ApiRoute(
                        GET,
                        "/v1/snapshots",
                        Scopes.SANDBOXES_READ,
                        relay.to(GET, services.sandboxServiceUrl(), "/internal/snapshots")),
                new ApiRoute(
                        GET,
                        "/v1/snapshots/{id}",
                        Scopes.SANDBOXES_READ,
                        relay.to(GET, services.sandboxServiceUrl(), "/internal/snapshots/{id}")),
                new ApiRoute(
                        DELETE,
                        "/v1/snapshots/{id}",
                        Scopes.SANDBOXES_PAUSE,
                        relay.to(DELETE, services.sandboxServiceUrl(), "/internal/snapshots/{id}")),
                // Extending a TTL buys more lifetime, as a create does: the create scope.
                new ApiRoute(POST, "/v1/sandboxes/{id}/ttl", Scopes.SANDBOXES_CREATE, sandboxes::extendTtl),
                new ApiRoute(POST, "/v1/sandboxes/{id}/commands", Scopes.COMMANDS_RUN, commands::run),
                new ApiRoute(GET, "/v1/sandboxes/{id}/commands", Scopes.COMMANDS_READ, commands::list),
                new ApiRoute(GET, "/v1/sandboxes/{id}/commands/ws", Scopes.COMMANDS_RUN, commandSockets::open),
                new ApiRoute(GET, "/v1/sandboxes/{id}/pty", Scopes.COMMANDS_RUN, terminals::open),
                new ApiRoute(GET, "/v1/sandboxes/{id}/commands/{cid}", Scopes.COMMANDS_READ, commands::get),
                new ApiRoute(GET, "/v1/sandboxes/{id}/commands/{cid}/stream", Scopes.COMMANDS_READ, reattach::stream),
                new ApiRoute(
                        POST, "/v1/sandboxes/{id}/commands/{cid}/cancel", Scopes.COMMANDS_CANCEL, commands::cancel),
                // templates: the platform's and the tenant's own; custom ones built by the worker on a node
                new ApiRoute(
                        GET, "/v1/templates", Scopes.TEMPLATES_READ, relay.to(GET, sandbox, "/internal/templates")),
                new ApiRoute(
                        POST, "/v1/templates", Scopes.TEMPLATES_WRITE, relay.to(POST, sandbox, "/internal/templates")),
                new ApiRoute(
                        GET,
                        "/v1/templates/{name}",
                        Scopes.TEMPLATES_READ,
                        relay.to(GET, sandbox, "/internal/templates/{name}")),
                new ApiRoute(
                        GET,
                        "/v1/templates/{name}/logs",
                        Scopes.TEMPLATES_READ,
                        relay.to(GET, sandbox, "/internal/templates/{name}/logs")),
                new ApiRoute(
                        DELETE,
                        "/v1/templates/{name}",
                        Scopes.TEMPLATES_WRITE,
                        relay.to(DELETE, sandbox, "/internal/templates/{name}")),
                new ApiRoute(GET, "/v1/usage", Scopes.USAGE_READ, relay.to(GET, metering, "/internal/usage")),
                new ApiRoute(
                        GET,
                        "/v1/usage/export",
                        Scopes.USAGE_READ,
                        relay.streaming(metering, "/internal/usage/export")),
                new ApiRoute(GET, "/v1/quotas", Scopes.USAGE_READ, relay.to(GET, metering, "/internal/quotas")),
                new ApiRoute(
                        GET, "/v1/invoices", Scopes.USAGE_READ, relay.to(GET, billing, "/internal/billing/invoices")),
                new ApiRoute(
                        GET,
                        "/v1/invoices/{id}",
                        Scopes.USAGE_READ,
                        relay.jsonOr(INVOICE_DOCUMENTS, billing, "/internal/billing/invoices/{id}")),
                new ApiRoute(GET, "/v1/credits", Scopes.USAGE_READ, relay.to(GET, billing, "/internal/billing/ledger")),
                new ApiRoute(
                        GET, "/v1/audit/events", Scopes.AUDIT_READ, relay.to(GET, audit, "/internal/audit/events")),
                new ApiRoute(
                        GET, "/v1/audit/verify", Scopes.AUDIT_READ, relay.to(GET, audit, "/internal/audit/verify")),
                new ApiRoute(
                        GET,
                        "/v1/audit/tombstones",
                        Scopes.AUDIT_READ,
                        relay.to(GET, audit, "/internal/audit/tombstones")),
                new ApiRoute(
                        GET, "/v1/audit/export", Scopes.AUDIT_READ, relay.streaming(audit, "/internal/audit/export")),
                // what a restricted sandbox tried to reach and was refused: the audit log's egress.denied rows
                new ApiRoute(
                        GET,
                        "/v1/sandboxes/{id}/egress",
                        Scopes.AUDIT_READ,
                        relay.to(GET, audit, "/internal/audit/sandboxes/{id}/egress")),
                // replay rebuilds in memory and compares: it reads, it changes nothing
                new ApiRoute(
                        POST, "/v1/audit/replay", Scopes.AUDIT_READ, relay.to(POST, audit, "/internal/audit/replay")),
                // files in /workspace and their staged signed URLs (dev.crownest.gateway.file); POST = PUT, as E2B
                // uploads
                new ApiRoute(GET, "/v1/sandboxes/{id}/files", Scopes.FILES_READ, files::read),
                new ApiRoute(PUT, "/v1/sandboxes/{id}/files", Scopes.FILES_WRITE, files::write),
                new ApiRoute(POST, "/v1/sandboxes/{id}/files", Scopes.FILES_WRITE, files::write),
                new ApiRoute(DELETE, "/v1/sandboxes/{id}/files", Scopes.FILES_WRITE, files::delete),
                new ApiRoute(GET, "/v1/sandboxes/{id}/files/list", Scopes.FILES_READ, files::list),
                new ApiRoute(POST, "/v1/sandboxes/{id}/files/mkdir", Scopes.FILES_WRITE, files::mkdir),
                new ApiRoute(POST, "/v1/sandboxes/{id}/files/move", Scopes.FILES_WRITE, files::move),
                new ApiRoute(POST, "/v1/sandboxes/{id}/files/upload-url", Scopes.FILES_WRITE, files::uploadUrl),
                new ApiRoute(POST, "/v1/sandboxes/{id}/files/download-url", Scopes.FILES_READ, files::downloadUrl),
                // artifacts: collected files, readable after the sandbox ended; content streamed through
                new ApiRoute(
                        GET,
                        "/v1/sandboxes/{id}/artifacts",
                        Scopes.ARTIFACTS_READ,
                        relay.to(GET, services.sandboxServiceUrl(), "/internal/sandboxes/{id}/artifacts")),
                new ApiRoute(
                        GET,
                        "/v1/sandboxes/{id}/artifacts/{aid}",
                        Scopes.ARTIFACTS_READ,
                        relay.to(GET, services.sandboxServiceUrl(), "/internal/sandboxes/{id}/artifacts/{aid}")),
                new ApiRoute(
                        GET,
                        "/v1/sandboxes/{id}/artifacts/{aid}/content",
                        Scopes.ARTIFACTS_READ,
                        relay.streaming(
                                services.sandboxServiceUrl(), "/internal/sandboxes/{id}/artifacts/{aid}/content")),
                // previews (the previews themselves are served on their own hosts by PreviewGate, never on the API's)
                new ApiRoute(POST, "/v1/sandboxes/{id}/previews", Scopes.PREVIEWS_CREATE, previews::create),
                new ApiRoute(GET, "/v1/sandboxes/{id}/previews", Scopes.PREVIEWS_READ, previews::list),
                new ApiRoute(GET, "/v1/sandboxes/{id}/previews/{pid}", Scopes.PREVIEWS_READ, previews::get),
                new ApiRoute(DELETE, "/v1/sandboxes/{id}/previews/{pid}", Scopes.PREVIEWS_CREATE, previews::close),
                new ApiRoute(
                        POST, "/v1/sandboxes/{id}/previews/{pid}/tokens", Scopes.PREVIEWS_CREATE, previews::token)));
    }

    /**
     * Administration routes (sessions, never keys). The scope column says who: null = the operator on
     * {@code ?tenantId=}; {@code PLATFORM} = the operator alone; {@code TENANT_ADMIN} = the tenant's admin too.
     */
    /** Routes that take no credential: sign-up (limited per source address by its handler). */
    @Bean
    RouteTable openRoutes(SignupHandler signups) {
        return new RouteTable(List.of(new ApiRoute(POST, "/v1/signup", null, signups::signUp)));
    }

    @Bean
    RouteTable adminRoutes(
            Relay relay, GatewayProperties services, TenantHandler tenants, KeyHandler keys, CallerHandler me) {
        String metering = services.meteringUrl();
        String billing = services.billingUrl();
        String audit = services.auditUrl();
        String sandbox = services.sandboxServiceUrl();
        return new RouteTable(List.of(
                new ApiRoute(GET, "/v1/me", ANY_SESSION, me::session),
                new ApiRoute(POST, "/v1/tenants", PLATFORM, tenants::create),
                new ApiRoute(GET, "/v1/tenants", PLATFORM, relay.to(GET, sandbox, "/internal/tenants")),
                new ApiRoute(POST, "/v1/tenants/{id}/suspend", PLATFORM, tenants::suspend),
                new ApiRoute(POST, "/v1/tenants/{id}/unsuspend", PLATFORM, tenants::unsuspend),
                new ApiRoute(
                        PUT, "/v1/tenants/{id}/plan", PLATFORM, relay.to(PUT, sandbox, "/internal/tenants/{id}/plan")),
                // pricing versions (metering) and pins (the Tenant aggregate): the operator alone
                new ApiRoute(
                        POST, "/v1/pricing-versions", PLATFORM, relay.to(POST, metering, "/internal/pricing-versions")),
                new ApiRoute(
                        GET, "/v1/pricing-versions", PLATFORM, relay.to(GET, metering, "/internal/pricing-versions")),
                new ApiRoute(
                        PUT,
                        "/v1/tenants/{id}/pricing",
                        PLATFORM,
                        relay.to(PUT, sandbox, "/internal/tenants/{id}/pricing")),
                // the node registry (sandbox-service, from the heartbeats): the operator alone
                new ApiRoute(GET, "/v1/nodes", PLATFORM, relay.to(GET, sandbox, "/internal/nodes")),
                new ApiRoute(GET, "/v1/nodes/{id}", PLATFORM, relay.to(GET, sandbox, "/internal/nodes/{id}")),
                new ApiRoute(GET, "/v1/settings/signup", PLATFORM, relay.to(GET, sandbox, "/internal/settings/signup")),
                new ApiRoute(PUT, "/v1/settings/signup", PLATFORM, relay.to(PUT, sandbox, "/internal/settings/signup")),
                new ApiRoute(POST, "/v1/tenants/{id}/admin-sessions", PLATFORM, tenants::openSession),
                new ApiRoute(DELETE, "/v1/tenants/{id}/admin-sessions/{sessionId}", PLATFORM, tenants::revokeSession),
                new ApiRoute(POST, "/v1/projects", TENANT_ADMIN, relay.to(POST, sandbox, "/internal/projects")),
                new ApiRoute(GET, "/v1/projects", TENANT_ADMIN, relay.to(GET, sandbox, "/internal/projects")),
                new ApiRoute(GET, "/v1/projects/{id}", TENANT_ADMIN, relay.to(GET, sandbox, "/internal/projects/{id}")),
                new ApiRoute(POST, "/v1/keys", TENANT_ADMIN, keys::create),
                new ApiRoute(GET, "/v1/keys", TENANT_ADMIN, keys::list),
                new ApiRoute(GET, "/v1/keys/{id}", TENANT_ADMIN, keys::get),
                new ApiRoute(DELETE, "/v1/keys/{id}", TENANT_ADMIN, keys::revoke),
                new ApiRoute(GET, "/v1/quotas", TENANT_ADMIN, relay.to(GET, metering, "/internal/quotas")),
                // a tenant admin sets its buckets within its plan's limits (metering checks); the operator any
                new ApiRoute(PUT, "/v1/quotas", TENANT_ADMIN, relay.to(PUT, metering, "/internal/quotas")),
                new ApiRoute(GET, "/v1/invoices", null, relay.to(GET, billing, "/internal/billing/invoices")),
                new ApiRoute(
                        GET,
                        "/v1/invoices/{id}",
                        null,
                        relay.jsonOr(INVOICE_DOCUMENTS, billing, "/internal/billing/invoices/{id}")),
                new ApiRoute(
                        POST,
                        "/v1/invoices/{id}/finalize",
                        null,
                        relay.to(POST, billing, "/internal/billing/invoices/{id}/finalize")),
                new ApiRoute(
                        POST,
                        "/v1/invoices/{id}/void",
                        null,
                        relay.to(POST, billing, "/internal/billing/invoices/{id}/void")),
                new ApiRoute(
                        POST,
                        "/v1/invoices/{id}/credit-notes",
                        null,
                        relay.to(POST, billing, "/internal/billing/invoices/{id}/credit-notes")),
                new ApiRoute(
                        GET,
                        "/v1/invoices/{id}/credit-notes",
                        TENANT_ADMIN,
                        relay.to(GET, billing, "/internal/billing/invoices/{id}/credit-notes")),
                // credits (billing-service): the operator's grants; a tenant admin's payment method
                new ApiRoute(
                        POST, "/v1/credits/grants", null, relay.to(POST, billing, "/internal/billing/credit-grants")),
                new ApiRoute(
                        PUT,
                        "/v1/billing/payment-method",
                        TENANT_ADMIN,
                        relay.to(PUT, billing, "/internal/billing/payment-method")),
                new ApiRoute(GET, "/v1/audit/verify", null, relay.to(GET, audit, "/internal/audit/verify")),
                new ApiRoute(POST, "/v1/audit/replay", null, relay.to(POST, audit, "/internal/audit/replay")),
                // webhooks (billing-service): admin sessions only, as every administration route
                new ApiRoute(POST, "/v1/webhooks", TENANT_ADMIN, relay.to(POST, billing, "/internal/webhooks")),
                new ApiRoute(GET, "/v1/webhooks", TENANT_ADMIN, relay.to(GET, billing, "/internal/webhooks")),
                new ApiRoute(
                        DELETE,
                        "/v1/webhooks/{id}",
                        TENANT_ADMIN,
                        relay.to(DELETE, billing, "/internal/webhooks/{id}")),
                new ApiRoute(
                        POST,
                        "/v1/webhooks/{id}/rotate-secret",
                        TENANT_ADMIN,
                        relay.to(POST, billing, "/internal/webhooks/{id}/rotate-secret")),
                new ApiRoute(
                        GET,
                        "/v1/webhooks/{id}/deliveries",
                        TENANT_ADMIN,
                        relay.to(GET, billing, "/internal/webhooks/{id}/deliveries"))));
    }

    /** {@code GET /v1/openapi.json}, public like any API reference; built once at start from the tables. */
    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    RouterFunction<ServerResponse> openApi(RouteTable tenantRoutes, RouteTable adminRoutes, RouteTable openRoutes) {
        var built = OpenApiDocument.build(tenantRoutes.routes(), adminRoutes.routes(), openRoutes.routes());
        SignedFileRoutes.describe(built);
        McpEndpoint.describe(built);
        String document = OpenApiDocument.json(built);
        return RouterFunctions.route(
                RequestPredicates.GET(OPENAPI_PATH),
                request -> ServerResponse.ok()
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(document));
    }

    @Bean
    RouterFunction<ServerResponse> publicApi(
            RouteTable tenantRoutes,
            RouteTable adminRoutes,
            RouteTable openRoutes,
            ApiKeyAuthentication keys,
            KeyRateLimits rateLimits,
            OperatorAuthentication operator,
            ProjectGuard projects) {
        // A route both tables have goes to the operator only when a session token comes without a key;
        // a route only administration has is always the operator's (so an API key gets a clear 403).
        RequestPredicate session = request -> request.headers().firstHeader(HttpHeaders.AUTHORIZATION) != null
                && request.headers().firstHeader(ApiKeyAuthentication.API_KEY_HEADER) == null;
        RouterFunctions.Builder admin = RouterFunctions.route();
        for (ApiRoute route : adminRoutes.routes()) {
            boolean shared = tenantRoutes.routes().stream()
                    .anyMatch(t ->
                            t.method().equals(route.method()) && t.pattern().equals(route.pattern()));
            RequestPredicate matches =
                    RequestPredicates.method(route.method()).and(RequestPredicates.path(route.pattern()));
            admin.route(
                    shared ? matches.and(session) : matches,
                    OperatorAuthentication.admits(route.scope(), projects.guard(null, route.handler())));
        }
        RouterFunctions.Builder api = RouterFunctions.route();
        for (ApiRoute route : tenantRoutes.routes()) {
            api.route(
                    RequestPredicates.method(route.method()).and(RequestPredicates.path(route.pattern())),
                    ApiKeyAuthentication.requires(
                            route.scope(), projects.guard(RouteProjects.of(route), route.handler())));
        }
        RouterFunctions.Builder open = RouterFunctions.route();
        for (ApiRoute route : openRoutes.routes()) {
            open.route(
                    RequestPredicates.method(route.method()).and(RequestPredicates.path(route.pattern())),
                    route.handler());
        }
        List<ApiRoute> known = new ArrayList<>(tenantRoutes.routes());
        known.addAll(adminRoutes.routes());
        known.addAll(openRoutes.routes());
        return open.build()
                .and(admin.filter(operator).build())
                // authenticated first, then counted against the key's rate
                .and(api.filter(keys).filter(rateLimits).build())
                .and(RouterFunctions.route(RequestPredicates.all(), new UnmatchedRoute(known)));
    }
}
