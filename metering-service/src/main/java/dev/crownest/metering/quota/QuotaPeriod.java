package dev.crownest.metering.quota;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/** Hard caps count per calendar month (UTC) of the metered second, as invoices do. */
public final class QuotaPeriod {
    private QuotaPeriod() {}

    public static LocalDate of(long epochSecond) {
        return LocalDate.ofInstant(Instant.ofEpochSecond(epochSecond), ZoneOffset.UTC)
                .withDayOfMonth(1);
    }

    public static LocalDate of(Instant instant) {
        return of(instant.getEpochSecond());
    }
}
