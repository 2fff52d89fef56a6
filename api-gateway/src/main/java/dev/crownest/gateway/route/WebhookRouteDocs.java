package dev.crownest.gateway.route;

import static java.util.Map.entry;

import dev.crownest.contracts.api.CreateWebhookRequest;
import dev.crownest.contracts.api.WebhookDeliveryView;
import dev.crownest.contracts.api.WebhookView;
import dev.crownest.gateway.route.RouteDocs.Doc;
import java.util.Map;

/** The OpenAPI entries of the webhook routes (billing-service), beside {@link RouteDocs}'. */
final class WebhookRouteDocs {
    static final Map<String, Doc> DOCS = Map.ofEntries(
            entry(
                    "POST /v1/webhooks",
                    Doc.of("Register a webhook endpoint (admin session, never an API key): events are types "
                                    + "(sandbox.created|started|paused|resumed|pause_failed|resume_failed|failed|ended, "
                                    + "command.finished, usage.threshold, credits.low, credits.restored, invoice.finalized), families "
                                    + "(sandbox.*) or *; the secret that signs its deliveries (CrowNest-Signature: "
                                    + "t=<unix s>,v1=<hex HMAC-SHA256 of \"t.body\">) is in this answer only. 400 "
                                    + "invalid_webhook_url (not http(s)), webhook_url_too_long (over 2048), "
                                    + "invalid_webhook_events, webhook_target_refused, webhook_target_unresolved")
                            .body(CreateWebhookRequest.class)
                            .answers(201, WebhookView.class)
                            .query("tenantId")),
            entry(
                    "GET /v1/webhooks",
                    Doc.of("The tenant's webhook endpoints (never their secrets)")
                            .pageOf(WebhookView.class)
                            .query("tenantId")),
            entry(
                    "DELETE /v1/webhooks/{id}",
                    Doc.of("Delete a webhook endpoint: nothing more is sent to it, its pending deliveries are "
                                    + "cancelled (204)")
                            .answers(204, null)
                            .query("tenantId")),
            entry(
                    "POST /v1/webhooks/{id}/rotate-secret",
                    Doc.of("A new signing secret, in this answer only; every attempt from now on is signed with it")
                            .answers(200, WebhookView.class)
                            .query("tenantId")),
            entry(
                    "GET /v1/webhooks/{id}/deliveries",
                    Doc.of(
                                    "The endpoint's deliveries, newest first: event id and type, status (pending, "
                                            + "delivered, failed, cancelled), attempts, the last answer or error, the next attempt")
                            .pageOf(WebhookDeliveryView.class)
                            .query("status", "limit", "cursor", "tenantId")));

    private WebhookRouteDocs() {}
}
