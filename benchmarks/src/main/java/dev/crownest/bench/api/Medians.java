package dev.crownest.bench.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The medians of a few interleaved runs, and the runs themselves as printed beside them. */
final class Medians {
    private Medians() {}

    /** The median of element {@code index} of each run (wrk's runs: requests per second, p50). */
    static double median(List<double[]> runs, int index) {
        return median(runs.stream().map(r -> r[index]).toList());
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** Each run's figure (the first element of a {@code double[]} run), rounded for print. */
    static String runs(List<?> values) {
        return values.stream()
                .map(v -> v instanceof double[] r ? r[0] : (Double) v)
                .map(v -> String.format(v >= 100 ? "%.0f" : "%.1f", v))
                .toList()
                .toString();
    }
}
