package dev.crownest.billing.invoice;

import dev.crownest.kit.caller.Caller;
import java.util.List;
import java.util.Map;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
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
            Caller caller,
            @RequestParam(required = false) String status,
            @RequestParam(required = false) String period) {
        return Map.of(
                "items",
                book.list(caller.tenant(), status, period).stream()
                        .map(i -> i.seenBy(caller.project()))
                        .toList());
    }

    @GetMapping("/internal/billing/invoices/{id}")
    Invoice get(Caller caller, @PathVariable String id) {
        return book.get(caller.tenant(), id).seenBy(caller.project());
    }

    /** The same invoice as a document, for {@code Accept: application/pdf}. */
    @GetMapping(value = "/internal/billing/invoices/{id}", produces = MediaType.APPLICATION_PDF_VALUE)
    ResponseEntity<byte[]> document(Caller caller, @PathVariable String id) {
        Invoice invoice = get(caller, id);
        String name = (invoice.number() == null ? invoice.id() : invoice.number()) + ".pdf";
        return ResponseEntity.ok()
                .contentType(MediaType.APPLICATION_PDF)
                .header(
                        HttpHeaders.CONTENT_DISPOSITION,
                        ContentDisposition.inline().filename(name).build().toString())
                .body(InvoicePdf.render(invoice));
    }

    @PostMapping("/internal/billing/invoices/{id}/finalize")
    Invoice finalizeDraft(Caller caller, @PathVariable String id) {
        return book.finalizeDraft(caller.tenant(), id, caller.actorOrUnknown());
    }

    @PostMapping("/internal/billing/invoices/{id}/void")
    Invoice voidOpen(Caller caller, @PathVariable String id, @RequestBody VoidRequest body) {
        return book.voidOpen(caller.tenant(), id, body.reason(), caller.actorOrUnknown());
    }

    /** Body of a void: why. */
    record VoidRequest(String reason) {}
}
