package dev.crownest.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The timed figures of one benchmark run, by name in the order first measured, printed as one table of
 * p50 and p95 in milliseconds, with ratios of medians beneath.
 */
public final class Figures {
    private final Map<String, Percentiles> byName = new LinkedHashMap<>();
    private final int nameWidth;

    /** @param nameWidth the width of the table's first column */
    public Figures(int nameWidth) {
        this.nameWidth = nameWidth;
    }

    /** Adds the time since {@code startNanos} ({@link System#nanoTime}) to {@code figure}. */
    public void since(String figure, long startNanos) {
        byName.computeIfAbsent(figure, f -> new Percentiles()).addSince(startNanos);
    }

    public double p50(String figure) {
        Percentiles p = byName.get(figure);
        if (p == null) {
            throw new IllegalArgumentException("no figure '" + figure + "' was measured");
        }
        return p.p(50);
    }

    /** The header and one line per figure: p50 and p95. */
    public void printTable() {
        System.out.printf("%-" + nameWidth + "s %9s %9s%n", "figure (ms)", "p50", "p95");
        byName.forEach((name, p) -> System.out.printf("%-" + nameWidth + "s %9.1f %9.1f%n", name, p.p(50), p.p(95)));
    }

    /** One line under the table: {@code label} and a ratio of medians. */
    public void printRatio(String label, double ratio) {
        System.out.printf("%-" + nameWidth + "s %8.2fx%n", label, ratio);
    }
}
