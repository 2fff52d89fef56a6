package dev.crownest.billing.invoice;

import dev.crownest.contracts.security.InternalHeaders;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The tenant's invoices under {@code /internal/billing/invoices}; the gateway names tenant and actor in headers. */
@RestController
class InvoiceController {
    private final InvoiceBook book;

    InvoiceController(InvoiceBook book) {
        this.book = book;
    }

    @GetMapping("/internal/billing/invoices")
    Map<String, List<Invoice>> list(
            @RequestHeader(InternalHeaders.TENANT_ID) String tenant,
            @RequestParam(required = false) String status,
            @RequestParam(required = false) String period) {
        return Map.of("items", book.list(tenant, status, period));
    }

    @GetMapping("/internal/billing/invoices/{id}")
    Invoice get(@RequestHeader(InternalHeaders.TENANT_ID) String tenant, @PathVariable String id) {
        return book.get(tenant, id);
    }

    @PostMapping("/internal/billing/invoices/{id}/finalize")
    Invoice finalizeDraft(
            @RequestHeader(InternalHeaders.TENANT_ID) String tenant,
            @RequestHeader(value = InternalHeaders.ACTOR, defaultValue = "unknown") String actor,
            @PathVariable String id) {
        return book.finalizeDraft(tenant, id, actor);
    }

    @PostMapping("/internal/billing/invoices/{id}/void")
    Invoice voidOpen(
            @RequestHeader(InternalHeaders.TENANT_ID) String tenant,
            @RequestHeader(value = InternalHeaders.ACTOR, defaultValue = "unknown") String actor,
            @PathVariable String id,
            @RequestBody VoidRequest body) {
        return book.voidOpen(tenant, id, body.reason(), actor);
    }

    /** Body of a void: why. */
    record VoidRequest(String reason) {}
}
