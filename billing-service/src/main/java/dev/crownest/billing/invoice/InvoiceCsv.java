package dev.crownest.billing.invoice;

import dev.crownest.kit.csv.CsvRow;
import java.math.BigDecimal;

/**
 * An invoice as CSV for finance ({@code Accept: text/csv}): one {@code line} row per invoice line, then
 * the {@code subtotal}, {@code credit_applied} and {@code total} rows in the amount column. The figures
 * are the invoice's own (cents as {@link Cents} made them; {@code rated_usd} to 10 places), never
 * computed again here.
 */
final class InvoiceCsv {
    static final String HEADER = CsvRow.of(
            "row",
            "invoice_id",
            "number",
            "period",
            "status",
            "project_id",
            "pricing_version",
            "description",
            "compute_unit_seconds",
            "seconds",
            "rated_usd",
            "amount_usd",
            "adjusts_period");

    private InvoiceCsv() {}

    static String render(Invoice invoice) {
        StringBuilder csv = new StringBuilder(HEADER).append('\n');
        for (Invoice.Line line : invoice.lines()) {
            row(
                    csv,
                    invoice,
                    "line",
                    line.projectId(),
                    line.pricingVersion(),
                    line.description(),
                    plain(line.computeUnitSeconds()),
                    Long.toString(line.seconds()),
                    plain(line.ratedUsd()),
                    cents(line.amountUsd()),
                    line.adjustsPeriod());
        }
        total(csv, invoice, "subtotal", invoice.subtotalUsd());
        // absent for a project key's view: the credit and total are the tenant's, not a project's
        if (invoice.totalUsd() != null) {
            total(csv, invoice, "credit_applied", invoice.creditAppliedUsd());
            total(csv, invoice, "total", invoice.totalUsd());
        }
        return csv.toString();
    }

    private static void total(StringBuilder csv, Invoice invoice, String row, BigDecimal amount) {
        row(csv, invoice, row, null, null, null, null, null, null, cents(amount), null);
    }

    private static void row(StringBuilder csv, Invoice invoice, String row, String... rest) {
        String[] fields = new String[5 + rest.length];
        fields[0] = row;
        fields[1] = invoice.id();
        fields[2] = invoice.number();
        fields[3] = invoice.period();
        fields[4] = invoice.status();
        System.arraycopy(rest, 0, fields, 5, rest.length);
        csv.append(CsvRow.of(fields)).append('\n');
    }

    /** An amount that is whole cents already (the store keeps 10 places), written as cents. */
    private static String cents(BigDecimal value) {
        return value == null ? null : Cents.ofLine(value).toPlainString();
    }

    private static String plain(BigDecimal value) {
        return value == null ? null : value.toPlainString();
    }
}
