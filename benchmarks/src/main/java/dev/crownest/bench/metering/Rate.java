package dev.crownest.bench.metering;

import java.time.Duration;
import java.util.function.LongSupplier;

/** Progress of a count towards {@code total}, polled every 50 ms; sustained = between 10 % and 90 % of it. */
record Rate(double sustained, double overall, long doneNanos) {
    static Rate follow(long total, LongSupplier count) throws InterruptedException {
        long firstAt = 0;
        long tenAt = 0;
        long ninetyAt = 0;
        long lastProgress = System.nanoTime();
        long seen = 0;
        while (true) {
            long now = System.nanoTime();
            long n = count.getAsLong();
            if (n > seen) {
                seen = n;
                lastProgress = now;
            }
            if (firstAt == 0 && n > 0) {
                firstAt = now;
            }
            if (tenAt == 0 && n >= total / 10) {
                tenAt = now;
            }
            if (ninetyAt == 0 && n >= total * 9 / 10) {
                ninetyAt = now;
            }
            if (n >= total) {
                double sustained = (total * 0.8) / ((ninetyAt - tenAt) / 1e9);
                return new Rate(sustained, total / ((now - firstAt) / 1e9), now);
            }
            if (now - lastProgress > Duration.ofSeconds(60).toNanos()) {
                throw new IllegalStateException("stalled at " + n + " of " + total);
            }
            Thread.sleep(50);
        }
    }
}
