package dev.crownest.systemtest.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Samples of one figure, in milliseconds; nearest-rank percentiles. */
final class Percentiles {
    void addMillis(double value) {
        millis.add(value);
    }

    private final List<Double> millis = new ArrayList<>();

    void addNanos(long nanos) {
        millis.add(nanos / 1e6);
    }

    double p(int percentile) {
        List<Double> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        int rank = (int) Math.ceil(percentile / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }

    int size() {
        return millis.size();
    }
}
