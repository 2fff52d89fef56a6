package dev.crownest.billing.invoice;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The one rounding rule of invoices. The ledger and invoice lines keep what was rated, to 10 decimal
 * places; an invoice line's amount is that figure rounded to whole cents once, half-even (a half cent goes
 * to the even cent, so many lines do not drift up as they would rounding half-up). Subtotals and totals
 * are sums of rounded lines and are never rounded again; the credit applied is rounded down, so it never
 * exceeds the credit there is. Stripe receives the same rounded lines, so its total is ours to the cent.
 */
public final class Cents {

    private Cents() {}

    /** An invoice line's amount: the rated amount rounded half-even to cents. */
    public static BigDecimal ofLine(BigDecimal ratedUsd) {
        return ratedUsd.setScale(2, RoundingMode.HALF_EVEN);
    }

    /** Credit that may be applied: what there is, rounded down to cents. */
    public static BigDecimal ofCredit(BigDecimal creditUsd) {
        return creditUsd.setScale(2, RoundingMode.FLOOR);
    }

    /** Whole cents (Stripe's unit) of an amount, by the same rule as a line. */
    public static long count(BigDecimal usd) {
        return ofLine(usd).movePointRight(2).longValueExact();
    }
}
