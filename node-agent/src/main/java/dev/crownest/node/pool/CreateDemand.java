package dev.crownest.node.pool;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Recent creates of the pool's shape, per template, claimed from the pool or not: the demand the pool is
 * sized from. Its figure is the peak, the most creates that came within any {@code burst} of the last
 * {@code window}: a pool that size serves such a burst warm, and once the window passes without one the
 * pool goes back to its floor.
 */
final class CreateDemand {
    /** Bounds the memory a flood of creates can take; the peak is capped far below this anyway. */
    private static final int MAX_KEPT = 10_000;

    private final Duration window;
    private final Duration burst;
    private final Map<String, Deque<Instant>> creates = new ConcurrentHashMap<>();

    CreateDemand(Duration window, Duration burst) {
        this.window = window;
        this.burst = burst;
    }

    void record(String template, Instant at) {
        Deque<Instant> times = creates.computeIfAbsent(template, t -> new ArrayDeque<>());
        synchronized (times) {
            times.addLast(at);
            if (times.size() > MAX_KEPT) {
                times.pollFirst();
            }
        }
    }

    /** The most creates of {@code template} within one burst interval of the last window. */
    int peak(String template, Instant now) {
        Deque<Instant> times = creates.get(template);
        if (times == null) {
            return 0;
        }
        synchronized (times) {
            Instant since = now.minus(window);
            while (!times.isEmpty() && times.peekFirst().isBefore(since)) {
                times.pollFirst();
            }
            // Two pointers over the times, oldest first: the widest run that fits in one burst.
            Instant[] sorted = times.toArray(Instant[]::new);
            int peak = 0;
            for (int first = 0, last = 0; last < sorted.length; last++) {
                while (sorted[first].plus(burst).isBefore(sorted[last])) {
                    first++;
                }
                peak = Math.max(peak, last - first + 1);
            }
            return peak;
        }
    }
}
