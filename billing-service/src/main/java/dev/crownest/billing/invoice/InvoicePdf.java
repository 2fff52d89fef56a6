package dev.crownest.billing.invoice;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

/**
 * An invoice as a PDF document: its head (number, tenant, period, status, dates), one row per line
 * (description with project and pricing version, seconds, compute-unit seconds, amount in cents), the
 * totals, and the rounding rule. Drawn with PDFBox's standard fonts, so no font file ships; those
 * fonts cover WinAnsi only, so any other character is printed as '?'.
 */
final class InvoicePdf {
    private static final PDType1Font REGULAR = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
    private static final PDType1Font BOLD = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);
    private static final float MARGIN = 50;
    private static final float LEADING = 16;
    /** Right edges of the numeric columns; the description starts at the margin. */
    private static final float SECONDS_RIGHT = 380;

    private static final float UNITS_RIGHT = 470;
    private static final float AMOUNT_RIGHT = PDRectangle.A4.getWidth() - MARGIN;

    private InvoicePdf() {}

    static byte[] render(Invoice invoice) {
        try (PDDocument document = new PDDocument()) {
            Pages pages = new Pages(document);
            pages.text(
                    BOLD, 18, MARGIN, "CrowNest invoice " + (invoice.number() == null ? "(draft)" : invoice.number()));
            pages.skip(8);
            head(pages, invoice);
            pages.skip(12);
            pages.row(BOLD, "Description", "Seconds", "Compute-unit s", "Amount (USD)");
            for (Invoice.Line line : invoice.lines()) {
                pages.row(
                        REGULAR,
                        line.description(),
                        Long.toString(line.seconds()),
                        line.computeUnitSeconds().stripTrailingZeros().toPlainString(),
                        money(line.amountUsd()));
            }
            if (invoice.lines().isEmpty()) {
                pages.text(REGULAR, 10, MARGIN, "No usage in this period.");
            }
            pages.skip(8);
            pages.total(REGULAR, "Subtotal", invoice.subtotalUsd());
            pages.total(REGULAR, "Credit applied", invoice.creditAppliedUsd());
            pages.total(BOLD, "Total due", invoice.totalUsd());
            pages.skip(16);
            pages.text(
                    REGULAR,
                    8,
                    MARGIN,
                    "Each line's amount is its rated usage (kept to 10 decimal places) rounded once to cents, half-even.");
            pages.text(
                    REGULAR, 8, MARGIN, "Totals are sums of rounded lines; credit applied is rounded down to cents.");
            pages.close();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            document.save(bytes);
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("an invoice document could not be drawn", e);
        }
    }

    private static void head(Pages pages, Invoice invoice) throws IOException {
        List<String> facts = new ArrayList<>(List.of(
                "Invoice " + invoice.id(),
                "Tenant " + invoice.tenantId(),
                "Period " + invoice.period() + " (UTC)",
                "Status " + invoice.status(),
                "Created " + day(invoice.createdAt())));
        if (invoice.finalizedAt() != null) {
            facts.add("Finalized " + day(invoice.finalizedAt()));
        }
        if (invoice.voidedAt() != null) {
            facts.add("Voided " + day(invoice.voidedAt()) + ": " + invoice.voidReason());
        }
        for (String fact : facts) {
            pages.text(REGULAR, 10, MARGIN, fact);
        }
    }

    private static String day(Instant at) {
        return at.toString().substring(0, 10);
    }

    private static String money(BigDecimal usd) {
        return Cents.ofLine(usd).toPlainString();
    }

    /** A cursor down A4 pages: a new page when the next row would cross the bottom margin. */
    private static final class Pages {
        private final PDDocument document;
        private PDPageContentStream out;
        private float y;

        Pages(PDDocument document) throws IOException {
            this.document = document;
            newPage();
        }

        void text(PDType1Font font, float size, float x, String text) throws IOException {
            advance();
            show(font, size, x, text);
        }

        /** A table row; a description wider than its column wraps at spaces onto rows of its own. */
        void row(PDType1Font font, String description, String seconds, String units, String amount) throws IOException {
            List<String> wrapped = wrap(font, printable(description), SECONDS_RIGHT - 60 - MARGIN);
            advance();
            show(font, 9, MARGIN, wrapped.getFirst());
            right(font, SECONDS_RIGHT, seconds);
            right(font, UNITS_RIGHT, units);
            right(font, AMOUNT_RIGHT, amount);
            for (String more : wrapped.subList(1, wrapped.size())) {
                advance();
                show(font, 9, MARGIN + 10, more);
            }
        }

        /** A totals row; absent amounts (a project's view has no account totals) are left out. */
        void total(PDType1Font font, String label, BigDecimal usd) throws IOException {
            if (usd == null) {
                return;
            }
            advance();
            right(font, UNITS_RIGHT, label);
            right(font, AMOUNT_RIGHT, money(usd));
        }

        void skip(float points) {
            y -= points;
        }

        void close() throws IOException {
            out.close();
        }

        private void advance() throws IOException {
            y -= LEADING;
            if (y < MARGIN) {
                out.close();
                newPage();
                y -= LEADING;
            }
        }

        private void newPage() throws IOException {
            PDPage page = new PDPage(PDRectangle.A4);
            document.addPage(page);
            out = new PDPageContentStream(document, page);
            y = page.getMediaBox().getHeight() - MARGIN;
        }

        private void right(PDType1Font font, float rightEdge, String text) throws IOException {
            String shown = printable(text);
            show(font, 9, rightEdge - font.getStringWidth(shown) / 1000 * 9, shown);
        }

        private void show(PDType1Font font, float size, float x, String text) throws IOException {
            out.beginText();
            out.setFont(font, size);
            out.newLineAtOffset(x, y);
            out.showText(printable(text));
            out.endText();
        }

        /** Words onto lines no wider than {@code width} at 9 pt (a single longer word keeps a line of its own). */
        private static List<String> wrap(PDType1Font font, String text, float width) throws IOException {
            List<String> lines = new ArrayList<>();
            StringBuilder line = new StringBuilder();
            for (String word : text.split(" ")) {
                String longer = line.isEmpty() ? word : line + " " + word;
                if (!line.isEmpty() && font.getStringWidth(longer) / 1000 * 9 > width) {
                    lines.add(line.toString());
                    line = new StringBuilder(word);
                } else {
                    line = new StringBuilder(longer);
                }
            }
            lines.add(line.toString());
            return lines;
        }

        private static String printable(String text) {
            StringBuilder kept = new StringBuilder(text.length());
            text.codePoints().forEach(c -> kept.append(c >= 0x20 && c < 0x7f ? (char) c : '?'));
            return kept.toString();
        }
    }
}
