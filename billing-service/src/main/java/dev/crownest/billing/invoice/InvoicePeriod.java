package dev.crownest.billing.invoice;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;

/** An invoice period is the calendar month in UTC, written {@code 2026-11}. */
final class InvoicePeriod {
    private InvoicePeriod() {}

    static String of(Instant instant) {
        return YearMonth.from(instant.atZone(ZoneOffset.UTC)).toString();
    }

    static boolean valid(String period) {
        try {
            YearMonth.parse(period);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
