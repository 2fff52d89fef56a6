package dev.crownest.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Samples of one figure, in milliseconds; nearest-rank percentiles. */
public final class Percentiles {
    private final List<Double> millis = new ArrayList<>();

    public void addMillis(double value) {
        millis.add(value);
    }

    public void addNanos(long nanos) {
        millis.add(nanos / 1e6);
    }

    /** The time since {@code startNanos} ({@link System#nanoTime}). */
    public void addSince(long startNanos) {
        addNanos(System.nanoTime() - startNanos);
    }

    public double p(int percentile) {
        List<Double> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        int rank = (int) Math.ceil(percentile / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }

    public int size() {
        return millis.size();
    }
}
