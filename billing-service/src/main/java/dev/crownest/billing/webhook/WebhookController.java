package dev.crownest.billing.webhook;

import dev.crownest.contracts.api.CreateWebhookRequest;
import dev.crownest.contracts.api.Page;
import dev.crownest.contracts.api.WebhookDeliveryView;
import dev.crownest.contracts.api.WebhookView;
import dev.crownest.kit.caller.Caller;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The tenant's webhook endpoints under {@code /internal/webhooks}; the gateway lets only admin
 * sessions (the tenant's, or the operator's with {@code ?tenantId=}) reach them, never API keys.
 */
@RestController
class WebhookController {
    private final WebhookEndpoints endpoints;
    private final WebhookDeliveries deliveries;

    WebhookController(WebhookEndpoints endpoints, WebhookDeliveries deliveries) {
        this.endpoints = endpoints;
        this.deliveries = deliveries;
    }

    @PostMapping("/internal/webhooks")
    ResponseEntity<WebhookView> register(Caller caller, @RequestBody(required = false) CreateWebhookRequest request) {
        return ResponseEntity.status(HttpStatus.CREATED)
                .body(endpoints.register(caller.tenant(), caller.actorOrUnknown(), request));
    }

    @GetMapping("/internal/webhooks")
    Page<WebhookView> list(Caller caller) {
        return new Page<>(endpoints.list(caller.tenant()), null);
    }

    @DeleteMapping("/internal/webhooks/{id}")
    ResponseEntity<Void> delete(Caller caller, @PathVariable String id) {
        endpoints.delete(caller.tenant(), id);
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/internal/webhooks/{id}/rotate-secret")
    WebhookView rotateSecret(Caller caller, @PathVariable String id) {
        return endpoints.rotateSecret(caller.tenant(), id);
    }

    @GetMapping("/internal/webhooks/{id}/deliveries")
    Page<WebhookDeliveryView> deliveries(
            Caller caller,
            @PathVariable String id,
            @RequestParam(required = false) String status,
            @RequestParam(defaultValue = "50") int limit,
            @RequestParam(required = false) String cursor) {
        endpoints.get(caller.tenant(), id);
        return deliveries.list(id, Caller.blankToNull(status), limit, Caller.blankToNull(cursor));
    }
}
