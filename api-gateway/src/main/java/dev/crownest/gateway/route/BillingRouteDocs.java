package dev.crownest.gateway.route;

import static java.util.Map.entry;

import dev.crownest.gateway.route.RouteDocs.Doc;
import java.util.Map;

/** The OpenAPI entries of billing's routes (invoices, their documents and credit notes, credits), beside {@link RouteDocs}'. */
final class BillingRouteDocs {
    static final Map<String, Doc> DOCS = Map.ofEntries(
            entry("GET /v1/invoices", Doc.of("Invoices, drafts included").query("status", "period", "tenantId")),
            entry(
                    "GET /v1/invoices/{id}",
                    Doc.of("One invoice with its line items; with Accept: application/pdf, the invoice as a PDF "
                                    + "document (lines, pricing versions, credit applied, totals); with Accept: text/csv,"
                                    + " its lines then subtotal, credit_applied and total rows as CSV")
                            .query("tenantId")),
            entry(
                    "POST /v1/invoices/{id}/finalize",
                    Doc.of("Finalize a draft invoice (operator session)").query("tenantId")),
            entry(
                    "POST /v1/invoices/{id}/void",
                    Doc.of("Void an invoice with a reason (operator session)").query("tenantId")),
            entry(
                    "POST /v1/invoices/{id}/credit-notes",
                    Doc.of("Issue a credit note on an open invoice (operator session): {amountUsd, reason}; the "
                                    + "amount, in whole cents, goes back to the tenant's credit. 409 "
                                    + "credit_note_exceeds_invoice past the invoice's subtotal, invoice_not_open")
                            .query("tenantId")),
            entry(
                    "GET /v1/invoices/{id}/credit-notes",
                    Doc.of("An invoice's credit notes (admin session)").query("tenantId")),
            entry("GET /v1/credits", Doc.of("The credit ledger and balance")));

    private BillingRouteDocs() {}
}
