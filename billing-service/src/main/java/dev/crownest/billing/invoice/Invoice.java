package dev.crownest.billing.invoice;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * An invoice as the API answers it. {@code totalUsd = subtotalUsd − creditAppliedUsd} and
 * {@code subtotalUsd = Σ lines.amountUsd}, all in cents ({@link Cents}); a draft's totals are what
 * finalize would compute without credit.
 */
public record Invoice(
        String id,
        String tenantId,
        String period,
        String status,
        String number,
        List<Line> lines,
        BigDecimal subtotalUsd,
        BigDecimal creditAppliedUsd,
        BigDecimal totalUsd,
        Instant createdAt,
        Instant finalizedAt,
        Instant voidedAt,
        String voidReason,
        String stripeInvoiceId) {

    /**
     * The invoice as a project-restricted key sees it (issue 15, F2): its project's lines alone, their
     * sum as the subtotal, and none of the tenant's account (credit applied, total, Stripe id), which
     * are not a project's. {@code project} null: the whole invoice.
     */
    public Invoice seenBy(String project) {
        if (project == null) {
            return this;
        }
        List<Line> own =
                lines.stream().filter(l -> project.equals(l.projectId())).toList();
        BigDecimal subtotal = own.stream().map(Line::amountUsd).reduce(BigDecimal.ZERO, BigDecimal::add);
        return new Invoice(
                id,
                tenantId,
                period,
                status,
                number,
                own,
                subtotal,
                null,
                null,
                createdAt,
                finalizedAt,
                voidedAt,
                voidReason,
                null);
    }

    /**
     * Rated usage of one project and pricing version; {@code adjustsPeriod} names the closed period
     * whose late usage this line bills (absent on regular lines). {@code amountUsd} is what the line
     * charges, {@code ratedUsd} rounded to cents by {@link Cents#ofLine}.
     */
    public record Line(
            String projectId,
            String pricingVersion,
            String description,
            BigDecimal computeUnitSeconds,
            long seconds,
            BigDecimal ratedUsd,
            BigDecimal amountUsd,
            String adjustsPeriod) {}
}
