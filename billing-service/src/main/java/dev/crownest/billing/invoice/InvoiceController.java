package dev.crownest.billing.invoice;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crownest.kit.caller.Caller;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
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
    private final CreditNotes creditNotes;

    InvoiceController(InvoiceBook book, CreditNotes creditNotes) {
        this.book = book;
        this.creditNotes = creditNotes;
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

    /** The same invoice as CSV for finance, for {@code Accept: text/csv}. */
    @GetMapping(value = "/internal/billing/invoices/{id}", produces = "text/csv")
    ResponseEntity<String> csv(Caller caller, @PathVariable String id) {
        Invoice invoice = get(caller, id);
        String name = (invoice.number() == null ? invoice.id() : invoice.number()) + ".csv";
        return ResponseEntity.ok()
                .contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
                .header(
                        HttpHeaders.CONTENT_DISPOSITION,
                        ContentDisposition.attachment().filename(name).build().toString())
                .body(InvoiceCsv.render(invoice));
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

    @PostMapping("/internal/billing/invoices/{id}/credit-notes")
    ResponseEntity<CreditNotes.CreditNote> issueCreditNote(
            Caller caller, @PathVariable String id, @RequestBody CreditNoteRequest body) {
        return ResponseEntity.status(HttpStatus.CREATED)
                .body(creditNotes.issue(caller.tenant(), id, body.amount(), body.reason(), caller.actorOrUnknown()));
    }

    @GetMapping("/internal/billing/invoices/{id}/credit-notes")
    Map<String, List<CreditNotes.CreditNote>> creditNotes(Caller caller, @PathVariable String id) {
        return Map.of("items", creditNotes.of(caller.tenant(), id));
    }

    /** Body of a credit note: how much (a JSON number or a decimal string, whole cents) and why. */
    record CreditNoteRequest(JsonNode amountUsd, String reason) {
        /** The amount, or null when absent or not a number (refused as {@code invalid_amount}). */
        BigDecimal amount() {
            if (amountUsd == null || !(amountUsd.isNumber() || amountUsd.isTextual())) {
                return null;
            }
            try {
                // the text of the number as sent: a double's binary expansion would never be whole cents
                return new BigDecimal(amountUsd.asText().trim());
            } catch (NumberFormatException notANumber) {
                return null;
            }
        }
    }
}
